package dev.skillhost.sim;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Small real media, deterministic from a seed: a PNG still and an animated GIF standing in for
 * video. Blocking CPU work: call it off the event loop.
 */
final class SimMedia {

  static final int IMAGE_SIZE = 256;
  static final int VIDEO_WIDTH = 160;
  static final int VIDEO_HEIGHT = 90;
  static final int FRAMES = 12;
  static final int FRAME_DELAY_MS = 100;

  private SimMedia() {}

  static byte[] png(long seed) {
    BufferedImage image = scene(seed, IMAGE_SIZE, IMAGE_SIZE, 0);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // An explicit in-memory stream: ImageIO.write would otherwise spill to a temp-file cache.
    try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      if (!ImageIO.write(image, "png", stream)) throw new IllegalStateException("no PNG writer");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** An animation of a seeded scene, or a slow zoom into {@code source} when given (i2v). */
  static byte[] gif(long seed, BufferedImage source) {
    BufferedImage[] frames = new BufferedImage[FRAMES];
    for (int i = 0; i < FRAMES; i++) {
      double t = i / (double) (FRAMES - 1);
      frames[i] = source == null ? scene(seed, VIDEO_WIDTH, VIDEO_HEIGHT, t) : zoom(source, t);
    }
    return encodeGif(frames);
  }

  private static BufferedImage scene(long seed, int w, int h, double t) {
    Random random = new Random(seed);
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setPaint(new GradientPaint(0, 0, color(random), w, h, color(random)));
      g.fillRect(0, 0, w, h);
      for (int i = 0; i < 6; i++) {
        int size = 8 + random.nextInt(Math.max(1, Math.min(w, h) / 3));
        int x = random.nextInt(w);
        int y = random.nextInt(h);
        int dx = (int) Math.round(t * (random.nextInt(w) - w / 2.0));
        g.setColor(color(random));
        g.fillOval(x + dx - size / 2, y - size / 2, size, size);
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  private static BufferedImage zoom(BufferedImage source, double t) {
    double scale = 1.0 + 0.25 * t;
    int cropW = (int) Math.max(1, source.getWidth() / scale);
    int cropH = (int) Math.max(1, source.getHeight() / scale);
    int x = (source.getWidth() - cropW) / 2;
    int y = (source.getHeight() - cropH) / 2;
    BufferedImage frame = new BufferedImage(VIDEO_WIDTH, VIDEO_HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = frame.createGraphics();
    try {
      g.drawImage(source, 0, 0, VIDEO_WIDTH, VIDEO_HEIGHT, x, y, x + cropW, y + cropH, null);
    } finally {
      g.dispose();
    }
    return frame;
  }

  private static Color color(Random random) {
    return new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256));
  }

  private static byte[] encodeGif(BufferedImage[] frames) {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("gif");
    if (!writers.hasNext()) throw new IllegalStateException("no GIF writer");
    ImageWriter writer = writers.next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      ImageWriteParam param = writer.getDefaultWriteParam();
      IIOMetadata meta = frameMetadata(writer, param);
      writer.prepareWriteSequence(null);
      for (BufferedImage frame : frames) {
        writer.writeToSequence(new IIOImage(frame, null, meta), param);
      }
      writer.endWriteSequence();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  private static IIOMetadata frameMetadata(ImageWriter writer, ImageWriteParam param) throws IOException {
    ImageTypeSpecifier type = ImageTypeSpecifier.createFromBufferedImageType(BufferedImage.TYPE_INT_RGB);
    IIOMetadata meta = writer.getDefaultImageMetadata(type, param);
    String format = meta.getNativeMetadataFormatName();
    IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);

    IIOMetadataNode control = child(root, "GraphicControlExtension");
    control.setAttribute("disposalMethod", "none");
    control.setAttribute("userInputFlag", "FALSE");
    control.setAttribute("transparentColorFlag", "FALSE");
    control.setAttribute("delayTime", Integer.toString(FRAME_DELAY_MS / 10));
    control.setAttribute("transparentColorIndex", "0");

    IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
    loop.setAttribute("applicationID", "NETSCAPE");
    loop.setAttribute("authenticationCode", "2.0");
    loop.setUserObject(new byte[] {1, 0, 0}); // loop forever
    child(root, "ApplicationExtensions").appendChild(loop);

    meta.setFromTree(format, root);
    return meta;
  }

  private static IIOMetadataNode child(IIOMetadataNode root, String name) {
    for (int i = 0; i < root.getLength(); i++) {
      if (root.item(i).getNodeName().equalsIgnoreCase(name)) return (IIOMetadataNode) root.item(i);
    }
    IIOMetadataNode node = new IIOMetadataNode(name);
    root.appendChild(node);
    return node;
  }
}
