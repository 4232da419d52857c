Profile: NanbyoNationalBody
Parent: NanbyoOrganization
Id: nanbyo-national-body
Title: "国の機関・全国組織 (Nanbyo National Body)"
Description: """
難病医療支援ネットワークを構成する国の機関・全国組織: IRUD (未診断疾患イニシアチブ)、難病情報センター、
国立高度専門医療研究センター、学会、難病研究班など。都道府県には属さない (拡張 nanbyo-prefecture を持たない)。
A national body of the national rare-disease care support network (IRUD, 難病情報センター, national centers,
academic societies, research groups); it belongs to no prefecture.
"""
* insert ConformanceMetadata
* type = NanbyoOrganizationType#national-body
* extension[prefecture] 0..0
