/**
 * What administrators look at to see how the pipeline is doing: the routing rules in the order they are asked,
 * the event log's consumers and how far behind they are, the department integrations reading it
 * ({@link org.frontdoor.api.admin.IntegrationStatus}, published by each integration), and a dry run of routing for a
 * text. Implemented by core and the integrations, used by the console.
 */
@Version("1.4.0")
package org.frontdoor.api.admin;

import org.osgi.annotation.versioning.Version;
