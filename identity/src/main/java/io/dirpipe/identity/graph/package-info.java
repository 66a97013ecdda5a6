/** A small bearer-token JSON client for the calls diagnose and grant make to Graph and ARM. */
package io.dirpipe.identity.graph;
