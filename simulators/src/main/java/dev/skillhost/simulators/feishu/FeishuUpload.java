package dev.skillhost.simulators.feishu;

/**
 * One file or image the simulated app uploaded.
 *
 * @param key        {@code file_v3_…} or {@code img_v3_…}
 * @param fileType   the {@code file_type} form field (mp4, stream, …), or {@code image} for images
 * @param fileName   the {@code file_name} form field, or the part's filename for images
 * @param durationMs the {@code duration} form field, or null
 * @param size       bytes received
 * @param sha256     of the bytes received, hex
 */
public record FeishuUpload(String key, String fileType, String fileName, Integer durationMs, long size,
    String sha256) {}
