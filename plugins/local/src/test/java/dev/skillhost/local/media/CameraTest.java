package dev.skillhost.local.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Camera moves: where each starts and ends, and how easing spends the time. */
class CameraTest {

  private static final double ASPECT = 16.0 / 9;

  @Test
  void zoom_in_narrows_the_view_about_the_centre() {
    Camera c = Camera.plan(Motion.ZOOM_IN, 1.25, ASPECT, 1600, 900, 0, 0, true);
    assertThat(c.from()).isEqualTo(new View(0, 0, 1600, 900));
    assertThat(c.to().w()).isCloseTo(1280, within(1e-9));
    assertThat(c.to().centerX()).isCloseTo(800, within(1e-9));
    assertThat(c.frame(9, 10).w()).isCloseTo(c.to().w(), within(1e-9));
  }

  @Test
  void push_in_ends_centred_on_the_subject_within_the_picture() {
    Camera c = Camera.plan(Motion.PUSH_IN, 2, ASPECT, 1600, 900, 1100, 300, true);
    assertThat(c.to().centerX()).isCloseTo(1100, within(1e-9));
    assertThat(c.to().centerY()).isCloseTo(300, within(1e-9));
    Camera edge = Camera.plan(Motion.PUSH_IN, 2, ASPECT, 1600, 900, 1590, 10, true);
    assertThat(edge.to().x() + edge.to().w()).isCloseTo(1600, within(1e-9));
    assertThat(edge.to().y()).isCloseTo(0, within(1e-9));
  }

  @Test
  void pan_left_moves_the_view_from_the_right_edge_to_the_left_edge() {
    Camera c = Camera.plan(Motion.PAN_LEFT, 1.2, ASPECT, 1600, 900, 0, 0, false);
    assertThat(c.from().x() + c.from().w()).isCloseTo(1600, within(1e-9));
    assertThat(c.to().x()).isCloseTo(0, within(1e-9));
    assertThat(c.from().w()).isEqualTo(c.to().w());
    assertThat(c.at(0.5).x()).as("linear: halfway at half time").isCloseTo(c.from().x() / 2, within(1e-9));
  }

  @Test
  void easing_starts_and_ends_slowly_and_is_symmetric() {
    Camera eased = Camera.plan(Motion.ZOOM_IN, 1.5, ASPECT, 1600, 900, 0, 0, true);
    Camera linear = Camera.plan(Motion.ZOOM_IN, 1.5, ASPECT, 1600, 900, 0, 0, false);
    double firstTenth = eased.from().w() - eased.at(0.1).w();
    double middleTenth = eased.at(0.45).w() - eased.at(0.55).w();
    assertThat(middleTenth).isGreaterThan(5 * firstTenth);
    assertThat(eased.from().w() - eased.at(0.1).w()).isLessThan(linear.from().w() - linear.at(0.1).w());
    assertThat(Math.log(eased.from().w() / eased.at(0.2).w()))
        .isCloseTo(Math.log(eased.at(0.8).w() / eased.to().w()), within(1e-9));
  }
}
