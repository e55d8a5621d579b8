package org.genlab.datasets.source;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import org.genlab.core.GenLabException;

/**
 * A small, safe reader of tar archives (POSIX ustar, GNU long names and pax {@code path} records),
 * plain or gzipped.
 *
 * <p>Safe means: every entry name is checked before anything is written, and an archive with an
 * absolute name ({@code /etc/x}, {@code C:\x}) or a {@code ..} component that would land outside
 * the target folder is refused as a whole ("zip slip", CVE-2018-1002200 and friends). Links and
 * special files are never created; only regular files the caller asks for are written. Header
 * checksums are verified and a truncated archive is an error, not a short file.
 */
public final class TarExtractor {

    private static final int BLOCK = 512;

    private TarExtractor() {}

    /**
     * Extracts the wanted regular files of a tar or tar.gz file.
     *
     * @param archive the archive (gzip is detected from its first bytes)
     * @param target the folder to extract into (created if needed)
     * @param wanted which entry names to write, e.g. {@code n -> n.endsWith(".bin")}
     * @return the files written, in archive order
     */
    public static List<Path> extract(Path archive, Path target, Predicate<String> wanted) {
        try {
            boolean gz = FileTools.isGzip(archive);
            try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
                    InputStream in = gz ? new GZIPInputStream(raw, 1 << 16) : raw) {
                return extract(in, archive.toString(), target, wanted);
            }
        } catch (IOException e) {
            throw new GenLabException(
                    archive + ": cannot be unpacked (corrupt or truncated?): " + e.getMessage(), e);
        }
    }

    /**
     * Extracts the wanted regular files of an uncompressed tar stream.
     *
     * @param in the tar bytes
     * @param what the archive's name for messages
     * @param target the folder to extract into (created if needed)
     * @param wanted which entry names to write
     * @return the files written, in archive order
     * @throws IOException if reading or writing fails
     */
    public static List<Path> extract(
            InputStream in, String what, Path target, Predicate<String> wanted) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        Files.createDirectories(root);
        List<Path> written = new ArrayList<>();
        byte[] header = new byte[BLOCK];
        String longName = null;
        while (true) {
            int n = in.readNBytes(header, 0, BLOCK);
            if (n == 0) {
                return written; // no end-of-archive blocks: tolerated, like GNU tar
            }
            if (n < BLOCK) {
                throw new GenLabException(what + ": truncated inside a tar header");
            }
            if (isZero(header)) {
                return written;
            }
            checkHeaderChecksum(header, what);
            String name = longName != null ? longName : headerName(header);
            longName = null;
            long size = parseNumber(header, 124, 12, what);
            char type = (char) header[156];
            if (type == 'L' || type == 'x') {
                byte[] data = readData(in, size, what, name);
                if (type == 'L') {
                    longName = cString(data, 0, data.length);
                } else {
                    longName = paxPath(data);
                }
                continue;
            }
            Path dest = safeResolve(root, name, what);
            boolean regular = type == '0' || type == '\0' || type == '7';
            if (regular && wanted.test(name)) {
                Files.createDirectories(dest.getParent());
                try (OutputStream out = Files.newOutputStream(dest)) {
                    copyData(in, out, size, what, name);
                }
                written.add(dest);
            } else {
                copyData(in, OutputStream.nullOutputStream(), size, what, name);
            }
        }
    }

    /**
     * Resolves an entry name under the target folder, refusing names that would leave it.
     *
     * @param root the target folder, absolute and normalized
     * @param name the entry name from the archive
     * @param what the archive's name for messages
     * @return the path the entry would be written to
     */
    static Path safeResolve(Path root, String name, String what) {
        String n = name.replace('\\', '/');
        boolean absolute = n.startsWith("/") || n.matches("^[A-Za-z]:.*");
        boolean dotDot = false;
        for (String part : n.split("/")) {
            if (part.equals("..")) {
                dotDot = true;
            }
        }
        Path dest = root.resolve(n).normalize();
        if (absolute || dotDot || !dest.startsWith(root) || n.isEmpty()) {
            throw new GenLabException(
                    what
                            + ": refusing tar entry '"
                            + name
                            + "': it would land outside "
                            + root
                            + " (absolute path or '..')");
        }
        return dest;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static void checkHeaderChecksum(byte[] h, String what) {
        long stored = parseNumber(h, 148, 8, what);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xFF);
        }
        if (sum != stored) {
            throw new GenLabException(what + ": corrupt tar header (checksum mismatch)");
        }
    }

    private static String headerName(byte[] h) {
        String name = cString(h, 0, 100);
        boolean ustar = h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a';
        if (ustar) {
            String prefix = cString(h, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
        }
        return name;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long parseNumber(byte[] h, int off, int len, String what) {
        if ((h[off] & 0x80) != 0) { // GNU base-256
            long v = h[off] & 0x7F;
            for (int i = off + 1; i < off + len; i++) {
                v = (v << 8) | (h[i] & 0xFF);
            }
            return v;
        }
        String s = cString(h, off, len).trim();
        if (s.isEmpty()) {
            return 0;
        }
        try {
            long v = Long.parseLong(s, 8);
            if (v < 0) {
                throw new NumberFormatException(s);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new GenLabException(what + ": corrupt tar header (bad number '" + s + "')", e);
        }
    }

    private static String paxPath(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        String path = null;
        for (String line : text.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp > 0 && line.startsWith("path=", sp + 1)) {
                path = line.substring(sp + 1 + "path=".length());
            }
        }
        return path;
    }

    private static byte[] readData(InputStream in, long size, String what, String name)
            throws IOException {
        if (size > (1 << 20)) {
            throw new GenLabException(what + ": implausibly large tar meta entry " + name);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        copyData(in, out, size, what, name);
        return out.toByteArray();
    }

    private static void copyData(
            InputStream in, OutputStream out, long size, String what, String name)
            throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new GenLabException(what + ": truncated inside entry " + name);
            }
            out.write(buf, 0, n);
            left -= n;
        }
        long pad = (BLOCK - size % BLOCK) % BLOCK;
        if (in.readNBytes((int) pad).length < pad) {
            throw new GenLabException(what + ": truncated after entry " + name);
        }
    }
}
