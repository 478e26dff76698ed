/** Immutable values shared by every Vigil module: labels, samples and histograms. */
package dev.vigil.model;
