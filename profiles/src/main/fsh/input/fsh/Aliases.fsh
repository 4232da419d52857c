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
