package dev.skillhost.local;

import dev.skillhost.local.media.Look;
import dev.skillhost.local.media.Motion;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a request's words ask for, in English or Chinese ("zoom in", "slowly", "向左平移", "10 秒"),
 * for when the parameters do not say. Where several phrases match, the one said first wins.
 * Explicit parameters always take precedence over words.
 */
final class Prompt {

  private static final Map<Motion, List<String>> MOTIONS = Map.of(
      Motion.ZOOM_IN, List.of("zoom in", "zoom-in", "zooming in", "zoom into", "推近", "拉近", "镜头放大", "放大"),
      Motion.ZOOM_OUT, List.of("zoom out", "zoom-out", "zooming out", "pull back", "pull out", "拉远", "缩小"),
      Motion.PAN_LEFT, List.of("pan left", "pan to the left", "panning left", "move left", "向左", "左移", "左摇"),
      Motion.PAN_RIGHT, List.of("pan right", "pan to the right", "panning right", "move right", "向右", "右移", "右摇"),
      Motion.PAN_UP, List.of("pan up", "tilt up", "panning up", "move up", "向上", "上移", "上摇"),
      Motion.PAN_DOWN, List.of("pan down", "tilt down", "panning down", "move down", "向下", "下移", "下摇"),
      Motion.PUSH_IN, List.of("push in", "push-in", "dolly in", "ken burns", "推进"));
  private static final Map<Speed, List<String>> SPEEDS = Map.of(
      Speed.SLOW, List.of("slow", "slowly", "gentle", "subtle", "缓慢", "慢慢", "轻微", "慢"),
      Speed.FAST, List.of("fast", "quick", "quickly", "dramatic", "rapid", "快速", "快"));
  private static final Map<String, List<String>> ASPECTS = Map.of(
      "9:16", List.of("vertical", "portrait", "story", "stories", "reel", "tiktok", "竖屏", "竖版"),
      "16:9", List.of("horizontal", "landscape", "widescreen", "youtube", "横屏", "横版"),
      "1:1", List.of("square", "方形", "正方形"));
  private static final Map<Look, List<String>> LOOKS = Map.of(
      Look.GRAYSCALE, List.of("black and white", "black & white", "grayscale", "greyscale", "monochrome", "黑白"),
      Look.SEPIA, List.of("sepia", "vintage", "old photo", "怀旧", "复古", "老照片"),
      Look.WARM, List.of("warm", "暖色", "暖调", "温暖"),
      Look.COOL, List.of("cool", "cold", "冷色", "冷调"),
      Look.HIGH_CONTRAST, List.of("high contrast", "more contrast", "contrast", "punchy", "高对比", "对比度"));
  private static final Map<ExtendMode, List<String>> MODES = Map.of(
      ExtendMode.LOOP, List.of("loop", "repeat", "循环", "重复"),
      ExtendMode.BOOMERANG, List.of("boomerang", "ping-pong", "ping pong", "back and forth", "来回", "倒放", "回旋"),
      ExtendMode.HOLD, List.of("hold", "freeze", "still at the end", "定格", "停留"));
  private static final Pattern SECONDS =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(?:s\\b|sec\\b|secs\\b|seconds?\\b|秒)");

  private final String text;

  Prompt(String text) {
    this.text = text == null ? "" : text.toLowerCase(Locale.ROOT);
  }

  Optional<Motion> motion() {
    return first(MOTIONS);
  }

  Optional<Speed> speed() {
    return first(SPEEDS);
  }

  Optional<String> aspect() {
    Matcher m = Pattern.compile("\\b(16:9|9:16|1:1|4:3|3:4)\\b").matcher(text);
    return m.find() ? Optional.of(m.group(1)) : first(ASPECTS);
  }

  Optional<Look> look() {
    return first(LOOKS);
  }

  Optional<ExtendMode> extendMode() {
    return first(MODES);
  }

  Optional<Double> seconds() {
    Matcher m = SECONDS.matcher(text);
    return m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
  }

  /** 2 or 4 when the words ask for an upscale ("upscale", "4x", "放大两倍"). */
  Optional<Integer> upscale() {
    if (has("4x", "4 x", "4倍", "四倍", "x4")) return Optional.of(4);
    if (has("2x", "2 x", "2倍", "两倍", "x2", "upscale", "enlarge", "higher resolution", "高清", "放大")) {
      return Optional.of(2);
    }
    return Optional.empty();
  }

  Optional<String> format() {
    if (has("jpeg", "jpg")) return Optional.of("jpeg");
    if (has("png")) return Optional.of("png");
    return Optional.empty();
  }

  /** True when the words ask to keep the whole picture ("fit", "blurred background", "不裁剪"). */
  boolean fit() {
    return has("fit", "blur", "pad", "whole picture", "don't crop", "do not crop", "no crop", "不裁剪", "模糊背景", "完整");
  }

  private boolean has(String... phrases) {
    for (String p : phrases) {
      if (find(p) >= 0) return true;
    }
    return false;
  }

  private <T> Optional<T> first(Map<T, List<String>> phrases) {
    T best = null;
    int at = Integer.MAX_VALUE;
    for (Map.Entry<T, List<String>> e : phrases.entrySet()) {
      for (String p : e.getValue()) {
        int i = find(p);
        if (i >= 0 && i < at) {
          best = e.getKey();
          at = i;
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /** Where {@code phrase} occurs; English phrases only as whole words ("fast" is not in "breakfast"). */
  private int find(String phrase) {
    boolean ascii = phrase.chars().allMatch(c -> c < 128);
    for (int i = text.indexOf(phrase); i >= 0; i = text.indexOf(phrase, i + 1)) {
      int end = i + phrase.length();
      if (!ascii || (!letter(i - 1) && !letter(end))) return i;
    }
    return -1;
  }

  private boolean letter(int i) {
    return i >= 0 && i < text.length() && text.charAt(i) < 128 && Character.isLetter(text.charAt(i));
  }
}
