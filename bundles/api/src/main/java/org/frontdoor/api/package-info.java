/**
 * The contracts of Frontdoor: what a channel, a routing rule, a classifier or a department integration
 * compiles against. Nothing here depends on Camel, JPA or the web layer.
 */
@Version("1.9.0")
package org.frontdoor.api;

import org.osgi.annotation.versioning.Version;
