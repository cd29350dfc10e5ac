package dev.skillhost.host.skills;

import java.util.Locale;

/** Time words per language for {@link Messages#eta} and {@link Messages#duration}; English for any other. */
enum Units {
  EN("about ", "s", "min", "h"),
  ZH_HANS("约 ", "秒", "分钟", "小时"),
  ZH_HANT("約 ", "秒", "分鐘", "小時"),
  JA("約 ", "秒", "分", "時間");

  private static final int MINUTE = 60;
  private static final int HOUR = 3600;

  private final String about;
  private final String[] names;

  Units(String about, String seconds, String minutes, String hours) {
    this.about = about;
    this.names = new String[] {seconds, minutes, hours};
  }

  static Units of(String locale) {
    if (locale == null || locale.isEmpty()) {
      return EN;
    }
    String tag = locale.toLowerCase(Locale.ROOT);
    return switch (Messages.language(tag)) {
      case "zh" -> tag.contains("-hant") || tag.matches("zh-(tw|hk|mo)(-.*)?") ? ZH_HANT : ZH_HANS;
      case "ja" -> JA;
      default -> EN;
    };
  }

  String about() {
    return about;
  }

  String range(int low, int high) {
    int lowUnit = unit(low);
    int highUnit = unit(high);
    long a = amount(low, lowUnit, false);
    long b = amount(high, highUnit, true);
    if (lowUnit != highUnit) {
      return a + " " + names[lowUnit] + "–" + b + " " + names[highUnit];
    }
    return (a == b ? Long.toString(a) : a + "–" + b) + " " + names[highUnit];
  }

  String duration(long seconds) {
    if (seconds < MINUTE) {
      return seconds + " " + names[0];
    }
    long minutes = seconds / MINUTE;
    long rest = seconds % MINUTE;
    if (minutes < 60) {
      return minutes + " " + names[1] + (rest == 0 ? "" : " " + rest + " " + names[0]);
    }
    long restMinutes = minutes % 60;
    return minutes / 60 + " " + names[2] + (restMinutes == 0 ? "" : " " + restMinutes + " " + names[1]);
  }

  private static int unit(int seconds) {
    return seconds < MINUTE ? 0 : seconds < HOUR ? 1 : 2;
  }

  private static long amount(int seconds, int unit, boolean up) {
    int size = unit == 0 ? 1 : unit == 1 ? MINUTE : HOUR;
    long whole = up ? (seconds + size - 1) / size : seconds / size;
    return Math.max(unit == 0 ? 0 : 1, whole);
  }
}
