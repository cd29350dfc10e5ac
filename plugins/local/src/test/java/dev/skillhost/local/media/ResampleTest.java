package dev.skillhost.local.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The quality filter: flat stays flat, nothing aliases when shrinking, edges do not halo. */
class ResampleTest {

  @Test
  void a_flat_picture_stays_exactly_flat_either_way() {
    RgbImage flat = new RgbImage(37, 23, filled(37 * 23, 0xFF336699), false);
    for (int[] size : new int[][] {{111, 69}, {9, 5}, {37, 50}}) {
      RgbImage out = Resample.resize(flat, size[0], size[1], Parallel.inline());
      assertThat(out.pixels()).containsOnly(0xFF336699);
    }
  }

  @Test
  void shrinking_a_one_pixel_checkerboard_gives_even_grey_not_moire() {
    int w = 400, h = 300;
    int[] px = new int[w * h];
    for (int i = 0; i < px.length; i++) px[i] = ((i % w + i / w) % 2 == 0) ? 0xFF000000 : 0xFFFFFFFF;
    RgbImage small = Resample.resize(new RgbImage(w, h, px, false), 97, 71, Parallel.inline());
    for (int p : small.pixels()) {
      assertThat(p & 0xFF).isBetween(110, 145);
    }
  }

  @Test
  void transparent_surroundings_do_not_darken_an_opaque_shape() {
    int w = 40, h = 40;
    int[] px = new int[w * h];
    for (int y = 10; y < 30; y++) {
      for (int x = 10; x < 30; x++) px[y * w + x] = 0xFFFFFFFF;
    }
    RgbImage up = Resample.resize(new RgbImage(w, h, px, true), 160, 160, Parallel.inline());
    for (int p : up.pixels()) {
      if ((p >>> 24) > 16) assertThat(p & 0xFF).as("colour under any visible alpha").isGreaterThan(235);
    }
  }

  private static int[] filled(int n, int v) {
    int[] a = new int[n];
    Arrays.fill(a, v);
    return a;
  }
}
