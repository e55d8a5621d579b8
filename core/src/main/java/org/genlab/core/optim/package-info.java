/**
 * The optimizer GenLab trains with: {@link org.genlab.core.optim.Adam} (Kingma &amp; Ba 2015).
 *
 * <p>DJL ships an Adam too, but it keeps its moment estimates in private fields: a checkpoint could
 * not save them, and a resumed run would restart its moments from zero. GenLab's Adam owns its
 * state, which {@link org.genlab.core.checkpoint.Checkpoint} saves and restores, and uses the
 * engine's fused update so one parameter costs one native call.
 */
package org.genlab.core.optim;
