package jp.nanbyo.fhir.server;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * Our server started a second time, as another mCSD directory for the sync tests to pull from
 * (a child JVM, H2 in a folder of its own, demo data on: Gunma's network). Once its demo data is
 * loaded it stops validating writes against our profiles, so that a test can give it resources a
 * directory of another make would hold, which ours must refuse. (Not a configuration class: the
 * server's component scan must not find it.)
 */
public final class SourceDirectoryApplication {

    private SourceDirectoryApplication() {
    }

    public static void main(String[] args) {
        new SpringApplicationBuilder(NanbyoFhirServerApplication.class)
                .listeners((ApplicationListener<ApplicationReadyEvent>) ready -> ready.getApplicationContext()
                        .getBean(IInterceptorService.class)
                        .unregisterInterceptor(ready.getApplicationContext().getBean("profileValidatingInterceptor")))
                .run(args);
    }
}
