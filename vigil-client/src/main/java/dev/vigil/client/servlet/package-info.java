/** Jakarta Servlet filter that records every request into a {@link dev.vigil.client.Recorder}. */
package dev.vigil.client.servlet;
