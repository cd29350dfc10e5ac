package dev.skillhost.local.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.local.support.TestImages;
import org.junit.jupiter.api.Test;

/** The centre of interest lands on a busy, colourful subject, wherever it sits. */
class InterestTest {

  @Test
  void finds_an_off_centre_subject() {
    RgbImage picture = TestImages.subject(900, 600, 700, 150, 60);
    Interest interest = Interest.of(picture);
    double[] c = interest.center();
    assertThat(c[0]).isBetween(640.0, 760.0);
    assertThat(c[1]).isBetween(90.0, 210.0);
    int[] window = interest.bestWindow(300, 300, 900, 600);
    assertThat(window[0]).isBetween(760 - 300, 640);
    assertThat(window[1]).isBetween(0, 90);
  }
}
