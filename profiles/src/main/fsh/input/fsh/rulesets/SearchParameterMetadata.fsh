// Metadata every search parameter carries; each is a token over one of our extensions.
RuleSet: SearchParameterMetadata
* status = #active
* experimental = false
* date = "2026-11-22"
* publisher = "Nanbyo FHIR project"
* jurisdiction = $iso3166#JP "Japan"
* type = #token
* xpathUsage = #normal
