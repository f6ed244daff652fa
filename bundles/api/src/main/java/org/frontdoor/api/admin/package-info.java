/**
 * What administrators look at to see how the pipeline is doing: the routing rules in the order they are asked,
 * the event log's consumers and how far behind they are, and a dry run of routing for a text. Implemented by core, used
 * by the console.
 */
@Version("1.2.0")
package org.frontdoor.api.admin;

import org.osgi.annotation.versioning.Version;
