package dev.skillhost.local.media;

import java.awt.Graphics2D;
import java.awt.AlphaComposite;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Reads and writes stills with the JDK's ImageIO (PNG, JPEG, GIF, BMP, TIFF). The size is read from
 * the header and checked before any pixel is decoded, so a small file that declares a huge picture
 * (a decompression bomb) is refused without allocating it. A decoder warning (a JPEG cut short
 * still decodes, grey at the bottom) counts as a damaged file. JPEGs are turned upright by their
 * EXIF orientation; sizes are reported as they stand upright.
 */
public final class ImageFiles {

  /** What the header says. */
  public record Probe(String format, int width, int height) {
    public long pixels() {
      return (long) width * height;
    }
  }

  private ImageFiles() {}

  /** Reads only the header. */
  public static Probe probe(Path file) throws MediaException {
    try (ImageInputStream in = open(file)) {
      ImageReader reader = reader(in, file);
      try {
        boolean turned = Orientation.swapsSides(Orientation.of(file));
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        return new Probe(reader.getFormatName().toLowerCase(Locale.ROOT), turned ? h : w, turned ? w : h);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      throw corrupt(e);
    }
  }

  /** Decodes the first picture, after checking its declared size against {@code maxPixels}. */
  public static RgbImage read(Path file, long maxPixels) throws MediaException {
    try (ImageInputStream in = open(file)) {
      ImageReader reader = reader(in, file);
      try {
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        SizeCheck.checkPixels("the image", w, h, maxPixels);
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        BufferedImage image = reader.read(0);
        if (!warnings.isEmpty()) {
          throw new MediaException(MediaException.Problem.CORRUPT,
              "the image is truncated or damaged: " + String.join("; ", warnings));
        }
        return Orientation.apply(toRgb(image), Orientation.of(file));
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      throw corrupt(e);
    }
  }

  /** Writes PNG or JPEG ({@code quality} 0..1 for JPEG; transparency is flattened on white there). */
  public static void write(RgbImage image, String format, Path out, float quality) {
    boolean jpeg = format.equals("jpeg");
    RgbImage src = jpeg ? image.flatten(0xFFFFFF) : image;
    BufferedImage buffered = new BufferedImage(src.width(), src.height(),
        src.alpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    buffered.setRGB(0, 0, src.width(), src.height(), src.pixels(), 0, src.width());
    ImageWriter writer = ImageIO.getImageWritersByFormatName(jpeg ? "jpeg" : "png").next();
    try (ImageOutputStream os = ImageIO.createImageOutputStream(out.toFile())) {
      writer.setOutput(os);
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (jpeg) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
      }
      writer.write(null, new IIOImage(buffered, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
  }

  static RgbImage toRgb(BufferedImage image) {
    boolean alpha = image.getColorModel().hasAlpha();
    int type = alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
    BufferedImage ints = image;
    if (image.getType() != type) {
      ints = new BufferedImage(image.getWidth(), image.getHeight(), type);
      Graphics2D g = ints.createGraphics();
      g.setComposite(AlphaComposite.Src);
      g.drawImage(image, 0, 0, null);
      g.dispose();
    }
    int[] px = ((DataBufferInt) ints.getRaster().getDataBuffer()).getData();
    if (!alpha) {
      px = px.clone();
      for (int i = 0; i < px.length; i++) px[i] |= 0xFF000000;
    }
    return new RgbImage(image.getWidth(), image.getHeight(), px, alpha);
  }

  private static ImageInputStream open(Path file) throws IOException {
    ImageInputStream in = ImageIO.createImageInputStream(file.toFile());
    if (in == null) throw new IOException("cannot open " + file.getFileName());
    return in;
  }

  private static ImageReader reader(ImageInputStream in, Path file) throws IOException {
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    if (!readers.hasNext()) {
      throw new NotAnImage();
    }
    ImageReader reader = readers.next();
    reader.setInput(in, true, true);
    return reader;
  }

  private static MediaException corrupt(Exception e) {
    if (e instanceof NotAnImage) {
      return new MediaException(MediaException.Problem.NOT_MEDIA,
          "the file is not an image this provider reads (PNG, JPEG, WebP, GIF, BMP or TIFF)");
    }
    if (e.getCause() instanceof MediaException me) return me;
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new MediaException(MediaException.Problem.CORRUPT, "the image is truncated or damaged: " + why);
  }

  /** No reader recognised the bytes. */
  private static final class NotAnImage extends IOException {
    private static final long serialVersionUID = 1L;

    NotAnImage() {
      super(null, null);
    }
  }
}
