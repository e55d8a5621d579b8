package org.genlab.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.genlab.core.GenLabException;
import org.junit.jupiter.api.Test;

class DevicesTest {

    @Test
    void autoTakesAGpuOnlyWhenDjlSeesOne() {
        Device auto = Devices.resolve("auto");
        if (Engine.getInstance().getGpuCount() > 0) {
            assertThat(auto).isEqualTo(Device.gpu(0));
        } else {
            assertThat(auto).isEqualTo(Device.cpu());
        }
        assertThat(Devices.resolve("CPU")).isEqualTo(Device.cpu());
        assertThat(Devices.available()).first().isEqualTo(Device.cpu());
    }

    @Test
    void aMissingGpuIsAnErrorNamingTheDevicesPresent() {
        assertThatThrownBy(() -> Devices.resolve("gpu:99"))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("--device gpu:99")
                .hasMessageContaining("Devices present: cpu");
        if (Engine.getInstance().getGpuCount() == 0) {
            assertThatThrownBy(() -> Devices.resolve("gpu"))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining("DJL sees no GPU");
        }
    }

    @Test
    void malformedNamesSayWhatIsAccepted() {
        assertThatThrownBy(() -> Devices.resolve("tpu"))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("use auto, cpu, gpu or gpu:N");
        assertThatThrownBy(() -> Devices.resolve("gpu:x"))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("GPU number");
    }

    @Test
    void stepSeedsAreReproducibleAndDistinct() {
        assertThat(Seeds.forStep(42, 7)).isEqualTo(Seeds.forStep(42, 7));
        assertThat(Seeds.forStep(42, 7)).isNotEqualTo(Seeds.forStep(42, 8));
        assertThat(Seeds.forStep(42, 7)).isNotEqualTo(Seeds.forStep(43, 7));
    }

    @Test
    void runtimeInfoNamesTheEngineAndTheCpu() {
        RuntimeInfo info = RuntimeInfo.collect();
        assertThat(info.facts().get("Engine")).isEqualTo("PyTorch 2.7.1");
        assertThat(info.facts()).containsKeys("GenLab", "Java", "DJL", "libtorch flavour");
        assertThat(info.devices()).first().asString().startsWith("cpu");
    }
}
