/** JMH benchmarks comparing Vigil with its peers. */
package dev.vigil.bench;
