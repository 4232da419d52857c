Profile: NanbyoFacilityLocation
Parent: Location
Id: nanbyo-facility-location
Title: "施設の所在地 (Nanbyo Facility Location)"
Description: """
医療機関などの施設の所在地 (実在する 1 か所: mode instance)。住所を必ず持ち、管理する組織を managingOrganization で示す
(IHE mCSD の facility = Location + Organization の組)。position があれば距離検索に使う。
partOf は所在する市区町村 (管轄区域の Location) を指し、二次医療圏・都道府県へとたどれる。
A facility site: one real place (mode instance) with an address, managed by an organization (IHE mCSD's
facility as a Location + Organization pair). position enables distance search. partOf names the municipality (a jurisdiction Location) it lies in, so
a site is found within its 二次医療圏 and prefecture by chaining partof.
"""
* insert ConformanceMetadata
* status 1..1 MS
* name 1..1 MS
* mode 1..1 MS
* mode = #instance
* managingOrganization 1..1 MS
* managingOrganization only Reference(NanbyoOrganization)
* address 1..1 MS
* address ^short = "所在地 (JP Core の住所規則; address as in JP Core)"
* position MS
* extension contains NanbyoPrefecture named prefecture 0..1 MS
* partOf only Reference(NanbyoFacilityLocation or NanbyoJurisdictionLocation)
* partOf MS
* partOf ^short = "所在する市区町村 (jurisdiction) または施設の一部であればその施設 (the municipality it lies in, or the larger site)"

