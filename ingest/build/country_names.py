"""The names a member state goes by beyond its profile's `name`, `official_name`
and codes: English short forms, names in its official and widely used
languages, and common former names. Reference data for search (the aliases
table); spelling variants with and without spaces, hyphens and diacritics need
not be listed, as search keys ignore them (ingest.common.text.search_key)."""

from __future__ import annotations

OTHER_NAMES: dict[str, tuple[str, ...]] = {
    "BN": ("Brunei", "Negara Brunei Darussalam", "بروني دارالسلام"),
    "KH": ("Kingdom of Cambodia", "Kampuchea", "Democratic Kampuchea", "Khmer Republic", "កម្ពុជា", "ព្រះរាជាណាចក្រកម្ពុជា"),
    "ID": ("Republik Indonesia", "RI", "NKRI"),
    "LA": ("Laos", "Lao", "Lao PDR", "Lao People's Democratic Republic", "ລາວ", "ສປປ ລາວ", "ສາທາລະນະລັດ ປະຊາທິປະໄຕ ປະຊາຊົນລາວ"),
    "MY": ("Persekutuan Malaysia", "Federation of Malaya", "Malaya"),
    "MM": ("Burma", "Union of Burma", "Republic of the Union of Myanmar", "မြန်မာ", "မြန်မာနိုင်ငံ"),
    "PH": ("Philippines", "The Philippines", "Pilipinas", "Republika ng Pilipinas", "Filipinas"),
    "SG": ("Singapura", "Republik Singapura", "新加坡", "சிங்கப்பூர்"),
    "TH": ("Siam", "Kingdom of Thailand", "Prathet Thai", "Thai", "ประเทศไทย", "ไทย", "ราชอาณาจักรไทย"),
    "TL": ("East Timor", "Timor Lorosa'e", "República Democrática de Timor-Leste", "Repúblika Demokrátika Timór-Leste"),
    "VN": ("Vietnam", "Việt Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam", "SRV"),
}
