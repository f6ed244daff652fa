/**
 * Frontdoor's test kit: what a plugin's tests need, in Frontdoor's tree and outside it. Add
 * {@code org.frontdoor:frontdoor-testkit} (test scope, the version of the distribution the plugin targets).
 *
 * <ul>
 *   <li>{@link org.frontdoor.testkit.Distribution}: boots a copy of the distribution on free ports (on a
 *       {@link org.frontdoor.testkit.Database}: H2, or a PostgreSQL database of its own), adds the plugin's feature
 *       repository and installs its features, posts signed webhooks, calls the REST API as admin, runs console commands
 *       through {@code bin/client}, waits for conversations and checks karaf.log.</li>
 *   <li>{@link org.frontdoor.testkit.VendorPeer}: a local HTTP peer for the vendor a plugin talks to; it checks and
 *       records each request and answers as scripted (429 with Retry-After, 401, 5xx, down and up again).
 *       {@link org.frontdoor.testkit.CallbackPeer} is the one for the generic HTTP channel's signed callbacks, and
 *       {@link org.frontdoor.testkit.MastodonPeer} a Mastodon server (streaming API as Server-Sent Events,
 *       notifications with Link paging, statuses) for the Mastodon door, {@link org.frontdoor.testkit.TwilioPeer} a
 *       Twilio-compatible REST API (Messages and Calls, Basic auth, 429, 401 code 20003) for the SMS door.</li>
 *   <li>{@link org.frontdoor.testkit.StandInEvents}: core's {@code frontdoor:events} endpoint for a route's unit test,
 *       fed with {@link org.frontdoor.api.ConversationEvent}s.</li>
 *   <li>{@link org.frontdoor.testkit.DsFramework}: a real OSGi framework with DS and Config Admin, for the bundle as it
 *       ships; {@link org.frontdoor.testkit.Configs} gives a component's configuration annotation from a map.</li>
 *   <li>{@link org.frontdoor.testkit.Signatures}: the documented webhook and callback signature.</li>
 * </ul>
 */
package org.frontdoor.testkit;
