// Metadata every profile and extension carries (the same publisher and date as nanbyo-terminology).
// status active: HAPI's package installer silently skips anything else, and the package assembler
// fails the build on it. date: the day version 0.1.0 was fixed; change it with the version.
RuleSet: ConformanceMetadata
* ^status = #active
* ^experimental = false
* ^date = "2026-11-22"
* ^publisher = "Nanbyo FHIR project"
* ^jurisdiction = $iso3166#JP "Japan"
