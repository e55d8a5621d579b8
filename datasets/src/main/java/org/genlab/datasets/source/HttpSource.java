package org.genlab.datasets.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.genlab.datasets.DataFile;
import org.genlab.datasets.DatasetFormat;
import org.genlab.datasets.DatasetSpec;

/**
 * The official hosts and public mirrors, over HTTP(S).
 *
 * <p>MNIST comes from the PyTorch team's mirror (the one torchvision uses) or Yann LeCun's page,
 * Fashion-MNIST from Zalando's bucket, CIFAR-10 from the University of Toronto. Each file is
 * downloaded with a short connect timeout and a few retries, with a progress bar, into the staging
 * folder; IDX files are gunzipped there. A host that cannot be reached at all is given up at once
 * (no retries), so an offline machine falls through to the next source in seconds.
 */
public final class HttpSource implements DataSource {

    private static final List<String> MNIST_MIRRORS =
            List.of(
                    "https://ossci-datasets.s3.amazonaws.com/mnist/",
                    "https://yann.lecun.com/exdb/mnist/");
    private static final List<String> FASHION_MIRRORS =
            List.of("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/");
    private static final String CIFAR_URL =
            "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";

    /** MD5 of the official {@code cifar-10-binary.tar.gz}. */
    public static final String CIFAR_TGZ_MD5 = "c32a1d4ab5d03f1284b67883e8d87530";

    private static final int ATTEMPTS = 3;

    private final Duration connectTimeout;
    private final HttpClient client;

    /** Creates the source with a 3-second connect timeout. */
    public HttpSource() {
        this(Duration.ofSeconds(3));
    }

    /**
     * Creates the source.
     *
     * @param connectTimeout how long to wait for a host to accept a connection
     */
    public HttpSource(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
        this.client =
                HttpClient.newBuilder()
                        .connectTimeout(connectTimeout)
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .build();
    }

    @Override
    public String describe() {
        return "official hosts and mirrors (HTTP)";
    }

    @Override
    public boolean supports(DatasetSpec spec) {
        return true;
    }

    @Override
    public void fetch(DatasetSpec spec, Path staging, PrintStream log) throws IOException {
        if (spec.format() == DatasetFormat.CIFAR_BINARY) {
            Path tgz = staging.resolve("cifar-10-binary.tar.gz");
            download(List.of(CIFAR_URL), "", tgz, log, new LinkedHashSet<>());
            String md5 = Checksums.md5(tgz);
            if (!md5.equals(CIFAR_TGZ_MD5)) {
                throw new IOException(
                        "cifar-10-binary.tar.gz checksum mismatch: expected "
                                + CIFAR_TGZ_MD5
                                + ", got "
                                + md5);
            }
            ArchiveLayouts.extractCifarBatches(tgz, staging);
            Files.delete(tgz);
            return;
        }
        List<String> mirrors = spec.name().equals("mnist") ? MNIST_MIRRORS : FASHION_MIRRORS;
        Set<String> deadHosts = new LinkedHashSet<>();
        for (DataFile f : spec.files()) {
            Path gz = staging.resolve(f.name() + ".gz");
            download(mirrors, f.name() + ".gz", gz, log, deadHosts);
            FileTools.gunzipOrCopy(gz, staging.resolve(f.name()));
            Files.delete(gz);
        }
    }

    private void download(
            List<String> bases, String file, Path dest, PrintStream log, Set<String> deadHosts)
            throws IOException {
        List<String> failures = new ArrayList<>();
        for (String base : bases) {
            URI uri = URI.create(base + file);
            if (deadHosts.contains(uri.getHost())) {
                continue;
            }
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                try {
                    get(uri, dest, log);
                    return;
                } catch (ConnectException | HttpConnectTimeoutException | UnknownHostException e) {
                    deadHosts.add(uri.getHost());
                    failures.add(
                            uri.getHost() + " unreachable (" + e.getClass().getSimpleName() + ")");
                    break;
                } catch (IOException e) {
                    failures.add(uri + ": " + e.getMessage());
                    if (attempt == ATTEMPTS) {
                        break;
                    }
                    sleep(1000L * attempt);
                }
            }
        }
        throw new IOException(
                "could not download " + (file.isEmpty() ? bases : file) + ": " + failures);
    }

    private void get(URI uri, Path dest, PrintStream log) throws IOException {
        HttpRequest req =
                HttpRequest.newBuilder(uri).timeout(connectTimeout.multipliedBy(5)).GET().build();
        HttpResponse<InputStream> resp;
        try {
            resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (IOException e) {
            throw unwrapConnect(e);
        }
        try (InputStream in = resp.body()) {
            if (resp.statusCode() != 200) {
                throw new IOException("HTTP " + resp.statusCode() + " from " + uri);
            }
            long len = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
            Path tmp = dest.resolveSibling(dest.getFileName() + ".part");
            try (OutputStream out = Files.newOutputStream(tmp);
                    ProgressBar pb =
                            new ProgressBarBuilder()
                                    .setTaskName(uri.getPath().replaceAll(".*/", ""))
                                    .setInitialMax(len)
                                    .setUnit("MB", 1 << 20)
                                    .setConsumer(new ConsoleProgressBarConsumer(log))
                                    .build()) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    pb.stepBy(n);
                }
            }
            if (len >= 0 && Files.size(tmp) != len) {
                throw new IOException(
                        "short download from " + uri + ": " + Files.size(tmp) + " of " + len);
            }
            Files.move(tmp, dest, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static IOException unwrapConnect(IOException e) {
        Throwable t = e;
        while (t != null) {
            if (t instanceof UnknownHostException
                    || t instanceof ConnectException
                    || t instanceof HttpConnectTimeoutException) {
                return (IOException) t;
            }
            t = t.getCause();
        }
        return e;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
