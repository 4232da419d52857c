Extension: NanbyoPrefecture
Id: nanbyo-prefecture
Title: "都道府県 (Prefecture)"
Description: """
組織または所在地・管轄区域が属する都道府県。都道府県番号 2 桁 (JP Core の PrefectureNo-2digits, "01"〜"47")。
JP Core の JP_Organization_PrefectureNo と同じ形 (valueCoding) を Location にも使えるようにしたもの。
The prefecture an organization or a location belongs to, as JP Core's 2-digit prefecture number; the same
shape as JP Core's JP_Organization_PrefectureNo, usable on Location too. Searchable as `prefecture`.
"""
Context: Organization, Location
* insert ConformanceMetadata
* . ^short = "都道府県 (prefecture)"
* value[x] 1..1
* value[x] only Coding
* valueCoding from NanbyoPrefecture (required)
* valueCoding.system 1..1
* valueCoding.system = $jp-prefecture-no (exactly)
* valueCoding.code 1..1
