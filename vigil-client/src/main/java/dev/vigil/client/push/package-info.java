/** Push of recorder snapshots to a Vigil server: wire format, queue, sender. */
package dev.vigil.client.push;
