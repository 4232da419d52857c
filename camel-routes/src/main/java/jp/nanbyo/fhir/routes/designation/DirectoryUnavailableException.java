package jp.nanbyo.fhir.routes.designation;

import java.io.IOException;

/** The FHIR server could not be reached or failed (5xx): a transient fault, worth retrying later. */
public class DirectoryUnavailableException extends IOException {

    public DirectoryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
