package org.genlab.datasets.cifar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.genlab.core.GenLabException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfjsCifarConverterTest {

    @TempDir Path dir;

    private Path png(String name, int w, int h) throws IOException {
        Path p = dir.resolve(name);
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR), "png", p.toFile());
        return p;
    }

    @Test
    void wrongSpriteSizeIsRefusedFromTheHeader() throws IOException {
        Path p = png("data_batch_1.png", 2, 3);
        assertThatThrownBy(() -> TfjsCifarConverter.convert(p, new byte[10_000], 0))
                .isInstanceOf(GenLabException.class)
                .hasMessage(p + ": sprite is 2x3, expected 1024x10000");
    }

    @Test
    void truncatedOrForeignFilesAreOneLine() throws IOException {
        Path full = png("full.png", 1024, 10_000);
        byte[] bytes = Files.readAllBytes(full);
        Path cut = Files.write(dir.resolve("cut.png"), Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> TfjsCifarConverter.convert(cut, new byte[10_000], 0))
                .isInstanceOf(GenLabException.class)
                .hasMessageStartingWith(cut + ": cannot be decoded as PNG (truncated or corrupt?)");
        Path text = Files.writeString(dir.resolve("text.png"), "not a picture");
        assertThatThrownBy(() -> TfjsCifarConverter.convert(text, new byte[10_000], 0))
                .isInstanceOf(GenLabException.class)
                .hasMessage(text + ": not an image ImageIO can read");
        assertThat(TfjsCifarConverter.convert(full, new byte[10_000], 0))
                .hasSize((int) CifarBinaryReader.BATCH_BYTES);
    }
}
