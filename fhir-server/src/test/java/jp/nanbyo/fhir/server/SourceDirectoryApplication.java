package jp.nanbyo.fhir.server;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * Our server started a second time, as another mCSD directory for the sync tests to pull from
 * (a child JVM, H2 in a folder of its own, demo data on: Gunma's network). Once its demo data is
 * loaded it stops validating writes against our profiles, so that a test can give it resources a
 * directory of another make would hold, which ours must refuse. With {@link #REGISTRY} it also drops the referral
 * workflow's rules: a plain HAPI FHIR server standing in for a national registry that receives our referrals. (Not a
 * configuration class: the server's component scan must not find it.)
 */
public final class SourceDirectoryApplication {

    private SourceDirectoryApplication() {
    }

    /** Argument: stand in for a registry (no profile validation, no referral state machine). */
    public static final String REGISTRY = "--nanbyo-test.registry=true";

    public static void main(String[] args) {
        boolean registry = java.util.Arrays.asList(args).contains(REGISTRY);
        new SpringApplicationBuilder(NanbyoFhirServerApplication.class)
                .listeners((ApplicationListener<ApplicationReadyEvent>) ready -> {
                    IInterceptorService interceptors = ready.getApplicationContext().getBean(IInterceptorService.class);
                    interceptors.unregisterInterceptor(ready.getApplicationContext().getBean("profileValidatingInterceptor"));
                    if (registry) {
                        interceptors.unregisterInterceptor(ready.getApplicationContext().getBean("referralWorkflowInterceptor"));
                    }
                })
                .run(args);
    }
}
