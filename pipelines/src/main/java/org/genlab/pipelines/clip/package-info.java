/**
 * CLIP on GenLab's captioned data (Radford et al., <i>Learning Transferable Visual Models From
 * Natural Language Supervision</i>, 2021): how well the shared embedding reads — zero-shot
 * classification from prompts alone, text→image and image→text retrieval — and a picture of it. The
 * model itself is in the text module ({@code org.genlab.text.clip}); this package feeds it the
 * captions of the datasets module. Start with {@link org.genlab.pipelines.clip.ClipEvaluation}.
 */
package org.genlab.pipelines.clip;
