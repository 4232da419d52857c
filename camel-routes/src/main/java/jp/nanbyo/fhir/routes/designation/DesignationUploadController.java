package jp.nanbyo.fhir.routes.designation;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.nanbyo.fhir.routes.common.BadParameterAnswers;
import jp.nanbyo.fhir.routes.common.JsonAnswers;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * {@code POST /import/designations?fileName=…&dryRun=…}: the upload for prefecture staff and Postman. The file is the
 * request body, or the one file of a {@code multipart/form-data} form (an HTML form, Postman's form-data). It goes
 * through the import route, and the answer is its report: 200, 422 when the list is rejected, 503 when the FHIR server
 * stays unreachable. A file over the import's size limit is refused without being held in memory.
 */
@RestController
public class DesignationUploadController {

    private static final Logger log = LoggerFactory.getLogger(DesignationUploadController.class);
    static final String PATH = "/import/designations";
    private static final String DEFAULT_FILE_NAME = "upload.csv";
    private static final String SOURCE = "upload";

    private final ProducerTemplate routes;
    private final DesignationImportService service;

    public DesignationUploadController(ProducerTemplate routes, DesignationImportService service) {
        this.routes = routes;
        this.service = service;
    }

    @PostMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<String> upload(
            @RequestParam(defaultValue = DEFAULT_FILE_NAME) String fileName,
            @RequestParam(required = false) String dryRun,
            InputStream body) throws IOException {
        boolean dry = BadParameterAnswers.yesNo("dryRun", dryRun);
        byte[] file = body.readNBytes(limitPlusOne());
        if (file.length > service.maximumFileSize()) {
            // Read on without keeping it, so that the sender gets the report and the true size rather than a reset.
            return refused(fileName, service.tooLarge(file.length + body.transferTo(OutputStream.nullOutputStream())));
        }
        return imported(fileName, file, dry);
    }

    @PostMapping(path = PATH, consumes = MediaType.MULTIPART_FORM_DATA_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<String> uploadForm(
            @RequestParam(required = false) String fileName,
            @RequestParam(required = false) String dryRun,
            MultipartHttpServletRequest form) throws IOException {
        boolean dry = BadParameterAnswers.yesNo("dryRun", dryRun);
        List<MultipartFile> files = form.getMultiFileMap().values().stream().flatMap(List::stream).toList();
        String name = Optional.ofNullable(fileName).filter(n -> !n.isBlank())
                .or(() -> files.size() == 1 ? Optional.ofNullable(files.get(0).getOriginalFilename()) : Optional.empty())
                .map(DesignationUploadController::lastPathSegment).filter(n -> !n.isBlank()).orElse(DEFAULT_FILE_NAME);
        if (files.size() != 1) {
            return refused(name, ImportProblem.ofFile(
                    "フォームにはファイルを 1 つだけ添付してください (添付 " + files.size() + " 件)。",
                    "Attach exactly one file to the form (" + files.size() + " attached)."));
        }
        try (InputStream in = files.get(0).getInputStream()) {
            return imported(name, in.readNBytes(limitPlusOne()), dry);
        }
    }

    /** A form whose file is over the limit: the web server stops reading it and says so before any handler runs. */
    @ExceptionHandler(MaxUploadSizeExceededException.class)
    public ResponseEntity<String> formTooLarge(HttpServletRequest request) {
        return refused(fileNameInUrl(request), service.tooLarge(request.getContentLengthLong()));
    }

    /** A form the web server cannot take apart (no boundary, cut short): the sender's mistake, said as the report. */
    @ExceptionHandler(MultipartException.class)
    public ResponseEntity<String> unreadableForm(HttpServletRequest request, MultipartException e) {
        ImportProblem problem = ImportProblem.ofFile(
                "フォーム (multipart/form-data) を読めません。ファイルを 1 つ添付したフォームを送るか、ファイルそのものを本文として送ってください。",
                "The form (multipart/form-data) cannot be read (" + NestedExceptionUtils.getMostSpecificCause(e).getMessage() + "): send a form with one file attached,"
                        + " or the file itself as the body.");
        return JsonAnswers.of(HttpStatus.BAD_REQUEST, service.refuse(fileNameInUrl(request), SOURCE, problem));
    }

    /** Once a form has failed, its parameters cannot be read any more (that parses it again): the name from the URL. */
    private static String fileNameInUrl(HttpServletRequest request) {
        return Optional.ofNullable(request.getQueryString())
                .map(query -> UriComponentsBuilder.fromUriString("?" + query).build().getQueryParams().getFirst("fileName"))
                .map(name -> UriUtils.decode(name, StandardCharsets.UTF_8)).orElse(DEFAULT_FILE_NAME);
    }

    private ResponseEntity<String> imported(String fileName, byte[] file, boolean dryRun) {
        try {
            ImportReport report = routes.requestBodyAndHeaders(DesignationImportRoutes.ENDPOINT, file,
                    Map.of(DesignationImportRoutes.FILE_NAME, fileName,
                            DesignationImportRoutes.SOURCE, SOURCE,
                            DesignationImportRoutes.DRY_RUN, dryRun),
                    ImportReport.class);
            return JsonAnswers.of(report.rejected() ? HttpStatus.UNPROCESSABLE_ENTITY : HttpStatus.OK, report);
        } catch (CamelExecutionException e) {
            if (e.getCause() instanceof DirectoryUnavailableException unavailable) {
                return JsonAnswers.of(HttpStatus.SERVICE_UNAVAILABLE, DesignationImportService.unavailable(unavailable));
            }
            log.error("Designation upload of {} failed", fileName, e.getCause());
            return JsonAnswers.of(HttpStatus.INTERNAL_SERVER_ERROR, DesignationImportService.unexpected(e.getCause()));
        }
    }

    private ResponseEntity<String> refused(String fileName, ImportProblem problem) {
        return JsonAnswers.of(HttpStatus.UNPROCESSABLE_ENTITY, service.refuse(fileName, SOURCE, problem));
    }

    /** Enough to tell a file over the limit from one at it. */
    private int limitPlusOne() {
        return (int) Math.min(service.maximumFileSize() + 1, Integer.MAX_VALUE - 8);
    }

    /** Browsers of old sent the whole path of the chosen file. */
    private static String lastPathSegment(String name) {
        return name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
    }
}
