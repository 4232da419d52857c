package jp.nanbyo.fhir.routes.designation;

import java.util.Map;
import jp.nanbyo.fhir.routes.common.JsonAnswers;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /import/designations?fileName=…&dryRun=…} with the file as the request body: the
 * upload for prefecture staff and Postman. It sends the file through the import route and answers
 * its report: 200, 422 when the list is rejected, 503 when the FHIR server stays unreachable.
 */
@RestController
public class DesignationUploadController {

    private static final Logger log = LoggerFactory.getLogger(DesignationUploadController.class);

    private final ProducerTemplate routes;

    public DesignationUploadController(ProducerTemplate routes) {
        this.routes = routes;
    }

    @PostMapping(path = "/import/designations", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<String> upload(
            @RequestBody(required = false) byte[] file,
            @RequestParam(defaultValue = "upload.csv") String fileName,
            @RequestParam(defaultValue = "false") boolean dryRun) {
        try {
            ImportReport report = routes.requestBodyAndHeaders(DesignationImportRoutes.ENDPOINT,
                    file == null ? new byte[0] : file,
                    Map.of(DesignationImportRoutes.FILE_NAME, fileName,
                            DesignationImportRoutes.SOURCE, "upload",
                            DesignationImportRoutes.DRY_RUN, dryRun),
                    ImportReport.class);
            return JsonAnswers.of(report.rejected() ? HttpStatus.UNPROCESSABLE_ENTITY : HttpStatus.OK, report);
        } catch (CamelExecutionException e) {
            if (e.getCause() instanceof DirectoryUnavailableException) {
                return JsonAnswers.of(HttpStatus.SERVICE_UNAVAILABLE, DesignationImportService.unavailable());
            }
            log.error("Designation upload of {} failed", fileName, e.getCause());
            return JsonAnswers.of(HttpStatus.INTERNAL_SERVER_ERROR, DesignationImportService.unexpected(e.getCause()));
        }
    }
}
