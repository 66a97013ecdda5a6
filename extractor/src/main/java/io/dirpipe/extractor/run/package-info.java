/**
 * The page loop of a run: resume from the checkpoint, fetch ahead, retry by kind of failure, commit
 * per page.
 */
package io.dirpipe.extractor.run;
