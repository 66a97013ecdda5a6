/** dirpipe sink: see this module's README.md for what it owns. */
package io.dirpipe.sink;
