/**
 * A door's CamelContext set-up ({@link org.frontdoor.plugin.camel.DoorContext}) and its instances
 * ({@link org.frontdoor.plugin.camel.DoorInstances}), its health as its calls to the vendor go
 * ({@link org.frontdoor.plugin.camel.DoorHealth}), and a DOWN stand-in door for a cfg the door refuses
 * ({@link org.frontdoor.plugin.camel.RefusedDoor}), shared by Frontdoor's channels and open to third-party ones.
 * Embedded, not imported: a plugin declares {@code org.frontdoor:frontdoor-plugin-support} with scope provided and
 * has bnd copy this package in ({@code <Conditional-Package>org.frontdoor.plugin.camel</Conditional-Package>}), so
 * at runtime it depends on the api alone.
 */
package org.frontdoor.plugin.camel;
