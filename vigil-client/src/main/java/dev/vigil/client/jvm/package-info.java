/** JVM metrics from {@code java.lang.management}, under client_java's names. */
package dev.vigil.client.jvm;
