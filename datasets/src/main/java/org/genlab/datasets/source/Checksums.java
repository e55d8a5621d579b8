package org.genlab.datasets.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.genlab.core.GenLabException;

/** MD5 checksums of files and byte arrays, as lower-case hex. */
public final class Checksums {

    private Checksums() {}

    /**
     * Computes the MD5 of a file's bytes.
     *
     * @param file the file
     * @return 32 lower-case hex digits
     */
    public static String md5(Path file) {
        MessageDigest md = newMd5();
        byte[] buf = new byte[1 << 17];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new GenLabException(file + ": cannot be read: " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * Computes the MD5 of bytes.
     *
     * @param bytes the bytes
     * @return 32 lower-case hex digits
     */
    public static String md5(byte[] bytes) {
        return HexFormat.of().formatHex(newMd5().digest(bytes));
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JVM", e);
        }
    }
}
