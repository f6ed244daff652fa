/**
 * Files of an inbound message fetched after the message is stored ({@link org.frontdoor.plugin.media.MediaFetches}),
 * so that a webhook answers its vendor at once and never calls the vendor back inside the request. Embedded, not
 * imported, as {@code org.frontdoor.plugin.http} is ({@code Conditional-Package}).
 */
package org.frontdoor.plugin.media;
