package org.genlab.diffusion.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.genlab.core.nn.Params;
import org.junit.jupiter.api.Test;

/**
 * The built-in networks keep their parameter names and shapes, so checkpoints written by earlier
 * versions still load: the lists under {@code src/test/resources} were recorded from the networks
 * as they were before they became {@link org.genlab.core.nn.LazyBlock}s.
 */
class ParameterNamesTest {

    private static List<String> describe(Block block) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : Params.named(block).entrySet()) {
            out.add(e.getKey() + " " + e.getValue().getArray().getShape());
        }
        return out;
    }

    private static void check(String name, Block block) throws IOException {
        List<String> now = describe(block);
        String record = System.getProperty("genlab.recordParams");
        if (record != null) {
            Path file = Path.of(record, name + ".params");
            Files.createDirectories(file.getParent());
            Files.write(file, now);
            return;
        }
        try (InputStream in = ParameterNamesTest.class.getResourceAsStream(name + ".params")) {
            assertThat(in).as("recorded list " + name).isNotNull();
            List<String> recorded =
                    List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
            assertThat(now).as(name).containsExactlyElementsOf(recorded);
        }
    }

    @Test
    void builtInNetworksKeepTheirCheckpointKeys() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            UNet cpu = UNet.cpu(1, 10).build();
            cpu.initialize(m, 28, 28);
            check("unet-cpu-1x28x28-10", cpu);
            UNet gpu = UNet.gpu(3, 0).optBaseChannels(32).optGroups(8).build();
            gpu.initialize(m, 32, 32);
            check("unet-gpu32-3x32x32", gpu);
            MlpDenoiser mlp = new MlpDenoiser(2, 128, 3, 32);
            mlp.initialize(m);
            check("mlp-2", mlp);
        }
    }
}
