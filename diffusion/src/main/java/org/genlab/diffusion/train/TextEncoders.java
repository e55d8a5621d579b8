package org.genlab.diffusion.train;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.util.ServiceLoader;
import org.genlab.core.GenLabException;
import org.genlab.core.train.RunFolder;

/**
 * Rebuilds the text encoder of a text-conditional run (see {@code UNet.Builder.optTextEncoder}).
 * The diffusion module knows no text model: the module that wires a text encoder to a denoiser
 * (GenLab's {@code pipelines}) provides an implementation through {@link ServiceLoader}, so {@link
 * TrainedModel#open} can open a text-conditional run wherever that module is on the class path.
 */
public interface TextEncoders {

    /**
     * Builds the (uninitialised or initialised) encoder the run was trained with, from its {@code
     * config.properties} and the files next to it (e.g. the vocabulary).
     *
     * @param folder the run
     * @param manager where its parameters live
     * @return a block taking token ids (B, L) and returning (tokens, mask, pooled)
     */
    Block create(RunFolder folder, NDManager manager);

    /**
     * Finds an implementation and builds the run's encoder.
     *
     * @param folder the run
     * @param manager where its parameters live
     * @return the encoder
     * @throws GenLabException when no implementation is on the class path
     */
    static Block forRun(RunFolder folder, NDManager manager) {
        for (TextEncoders t : ServiceLoader.load(TextEncoders.class)) {
            return t.create(folder, manager);
        }
        throw new GenLabException(
                "The run in "
                        + folder.dir()
                        + " reads captions, and no text encoder is on the class path: add the"
                        + " genlab-pipelines module (the genlab command and notebooks have it).");
    }
}
