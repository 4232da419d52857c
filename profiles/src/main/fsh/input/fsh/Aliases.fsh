// External systems (JP Core, HL7). Our own code systems and value sets are referred to by name
// (e.g. NanbyoOrganizationType): SUSHI resolves them from the terminology resources that the build
// stages in input/resources, so their URLs are never typed here.

// JP Core 1.2.0 identifier and code systems (docs/conformance.md: mirrored, not derived)
Alias: $medical-institution-code = http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no
Alias: $jp-prefecture-no = http://jpfhir.jp/fhir/core/mhlw/CodeSystem/PrefectureNo-2digits

// HL7
Alias: $task-code = http://hl7.org/fhir/CodeSystem/task-code
Alias: $endpoint-connection-type = http://terminology.hl7.org/CodeSystem/endpoint-connection-type
Alias: $endpoint-payload-type = http://terminology.hl7.org/CodeSystem/endpoint-payload-type
Alias: $location-physical-type = http://terminology.hl7.org/CodeSystem/location-physical-type
Alias: $iso3166 = urn:iso:std:iso:3166

// Our code systems where a system URL (not a code) must be written: each code system shares its name
// and id with its value set, so Canonical(Name) would pick the value set. The package tests check that
// every nanbyo URL our artefacts mention resolves in the package.
Alias: $nanbyo-jurisdiction-level = http://nanbyo.jp/fhir/CodeSystem/nanbyo-jurisdiction-level
Alias: $nanbyo-secondary-medical-area = http://nanbyo.jp/fhir/CodeSystem/nanbyo-secondary-medical-area

// FHIR Subscriptions (R4 backport): an R4 SubscriptionTopic is a Basic coded fhir-types#SubscriptionTopic
// whose elements are HL7's cross-version extensions (the URLs HAPI FHIR 8.8 reads, R5 and R4B).
Alias: $fhir-types = http://hl7.org/fhir/fhir-types
Alias: $topic-url = http://hl7.org/fhir/5.0/StructureDefinition/extension-SubscriptionTopic.url
Alias: $topic-version = http://hl7.org/fhir/5.0/StructureDefinition/extension-SubscriptionTopic.version
Alias: $topic-name = http://hl7.org/fhir/5.0/StructureDefinition/extension-SubscriptionTopic.name
Alias: $topic-title = http://hl7.org/fhir/5.0/StructureDefinition/extension-SubscriptionTopic.title
Alias: $topic-status = http://hl7.org/fhir/5.0/StructureDefinition/extension-SubscriptionTopic.status
Alias: $topic-date = http://hl7.org/fhir/5.0/StructureDefinition/extension-SubscriptionTopic.date
Alias: $topic-publisher = http://hl7.org/fhir/5.0/StructureDefinition/extension-SubscriptionTopic.publisher
Alias: $topic-jurisdiction = http://hl7.org/fhir/5.0/StructureDefinition/extension-SubscriptionTopic.jurisdiction
Alias: $topic-description = http://hl7.org/fhir/5.0/StructureDefinition/extension-SubscriptionTopic.description
Alias: $topic-resource-trigger = http://hl7.org/fhir/4.3/StructureDefinition/extension-SubscriptionTopic.resourceTrigger
Alias: $topic-can-filter-by = http://hl7.org/fhir/4.3/StructureDefinition/extension-SubscriptionTopic.canFilterBy
Alias: $topic-notification-shape = http://hl7.org/fhir/4.3/StructureDefinition/extension-SubscriptionTopic.notificationShape
