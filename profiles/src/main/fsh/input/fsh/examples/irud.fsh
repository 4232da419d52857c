Instance: irud
InstanceOf: NanbyoNationalBody
Usage: #example
Title: "IRUD (Initiative on Rare and Undiagnosed Diseases)"
Description: "未診断疾患イニシアチブ。拠点病院からの問い合わせ・紹介を受け、遺伝学的解析を行う。Matchmaker Exchange のノード (IRUD Exchange) を持つ。"
* name = "未診断疾患イニシアチブ (IRUD)"
* alias = "Initiative on Rare and Undiagnosed Diseases"
* type = NanbyoOrganizationType#national-body "国の機関・全国組織"
* endpoint = Reference(irud-exchange-endpoint)
