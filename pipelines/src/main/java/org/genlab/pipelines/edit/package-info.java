/**
 * Editing with words (GLIDE, Nichol et al. 2022, §4 and its "sequential editing" figure): a mask
 * says which pixels to repaint, a prompt says what to paint there, and a text-conditional diffusion
 * model fills the hole (RePaint inpainting, Lugmayr et al. 2022, guided towards the prompt by
 * classifier-free guidance). Several edits in a row build a picture region by region. GenLab's
 * models draw 28×28 images, so the canvas is a grid of such cells (2×2 by default): an edit names a
 * cell and a region inside it ("the bottom-right cell: a thin 4"), and everything outside its mask
 * stays exactly as it was. Start with {@link org.genlab.pipelines.edit.Editor}.
 */
package org.genlab.pipelines.edit;
