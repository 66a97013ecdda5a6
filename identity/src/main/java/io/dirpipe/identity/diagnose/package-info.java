/**
 * Why a 401 or 403 happens, told from the token's claims, with the fix (FACTS.md §4 decision tree).
 */
package io.dirpipe.identity.diagnose;
