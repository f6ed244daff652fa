package org.frontdoor.shell;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.frontdoor.api.admin.PipelineStatus;

/** A command reading the pipeline's status; it stays listed and says why it cannot work while core is stopped. */
abstract class StatusAction extends CallerAction {

    @Reference(optional = true)
    PipelineStatus status;

    @Override
    protected Object call() {
        if (status == null) {
            Commands.error(Commands.CORE_DOWN);
            return null;
        }
        execute(status);
        return null;
    }

    abstract void execute(PipelineStatus status);
}
