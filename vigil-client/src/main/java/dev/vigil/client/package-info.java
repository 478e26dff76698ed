/** In-app request recording for Java services. */
package dev.vigil.client;
