"""Deterministic builder of the sample policy catalogue (`reference/data/*.csv`).

What belongs here: the hand-written sample of the governor's 216 policies with their
KPIs and action-plan units (H/R), the public facts about units (the 22 departments and
the 50 district offices, copied from the project's reference facts), and the seeded
rules that turn them into annual targets and key-project flags. Run by hand with
`python -m bma_pipeline.reference.build_catalog`; the output is committed. What does not
belong here: reading the CSVs (`catalog.py`) or loading them into the warehouse.

The policies are a realistic sample, not the official list: the official catalogue is
not public in a usable form. Magnitudes follow public figures where there are any (the
Drainage department keeps 213 canals and 2,000 km of drains; the districts 948 canals
and 4,000 km).
"""

from __future__ import annotations

import argparse
import csv
import math
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from bma_pipeline.reference.catalog import DATA_DIR, DTYPES

SEED = 2566
FISCAL_YEARS = (2566, 2567)
MISSING_TARGET_SHARE = 0.02
N_ZERO_TARGETS = 5
ALL_DISTRICTS = "ALL"

MISSION_GROUPS = [
    ("G1", "งบประมาณ แผน และบุคคล", "Budget, Plan and Personnel"),
    ("G2", "คุณภาพชีวิต", "Quality of Life"),
    ("G3", "โครงสร้างพื้นฐานและความปลอดภัย", "Infrastructure and Safety"),
]

DIMENSIONS = [
    ("safety", "ปลอดภัยดี", "Good Safety"),
    ("travel", "เดินทางดี", "Good Travel"),
    ("health", "สุขภาพดี", "Good Health"),
    ("creative", "สร้างสรรค์ดี", "Good Creativity"),
    ("environment", "สิ่งแวดล้อมดี", "Good Environment"),
    ("structure", "โครงสร้างดี", "Good Structure"),
    ("management", "บริหารจัดการดี", "Good Management"),
    ("education", "เรียนดี", "Good Education"),
    ("economy", "เศรษฐกิจดี", "Good Economy"),
]

# The group a dimension's policies are steered in, unless a policy says otherwise.
DIMENSION_GROUP = {
    "safety": "G3",
    "travel": "G3",
    "structure": "G3",
    "health": "G2",
    "creative": "G2",
    "environment": "G2",
    "education": "G2",
    "management": "G1",
    "economy": "G1",
}

# (code, name_th, name_en, abbrev_th, group): shared/data/bma_departments.csv with the
# project's three-letter codes (docs/ARCHITECTURE.md).
DEPARTMENTS = [
    ("SED", "สำนักยุทธศาสตร์และประเมินผล", "Strategy and Evaluation Department", "สยป.", "G1"),
    ("FIN", "สำนักการคลัง", "Finance Department", "", "G1"),
    ("BUD", "สำนักงบประมาณกรุงเทพมหานคร", "Budget Department", "", "G1"),
    (
        "CSC",
        "สำนักงานคณะกรรมการข้าราชการกรุงเทพมหานคร",
        "Office of the Bangkok Metropolitan Civil Service Commission",
        "",
        "G1",
    ),
    (
        "CTI",
        "สถาบันพัฒนาข้าราชการกรุงเทพมหานคร",
        "Bangkok Metropolitan Administration Civil Service Training Institute",
        "",
        "G1",
    ),
    (
        "PER",
        "สำนักงานการเจ้าหน้าที่ สำนักปลัดกรุงเทพมหานคร",
        "Personnel Office (Office of the Permanent Secretary)",
        "",
        "G1",
    ),
    (
        "ARO",
        "สำนักงานปกครองและทะเบียน สำนักปลัดกรุงเทพมหานคร",
        "Administration and Registration Office",
        "",
        "G1",
    ),
    ("OPS", "สำนักปลัดกรุงเทพมหานคร", "Office of the Permanent Secretary for the BMA", "", "G1"),
    ("HLT", "สำนักอนามัย", "Health Department", "", "G2"),
    ("MED", "สำนักการแพทย์", "Medical Service Department", "", "G2"),
    ("SOC", "สำนักพัฒนาสังคม", "Social Development Department", "", "G2"),
    ("EDU", "สำนักการศึกษา", "Education Department", "", "G2"),
    ("ENV", "สำนักสิ่งแวดล้อม", "Environment Department", "สสล.", "G2"),
    (
        "CST",
        "สำนักวัฒนธรรม กีฬาและการท่องเที่ยว",
        "Culture Sports and Tourism Department",
        "",
        "G2",
    ),
    ("CLE", "สำนักเทศกิจ", "City Law Enforcement Department", "", "G3"),
    ("FRD", "สำนักป้องกันและบรรเทาสาธารณภัย", "Fire and Rescue Department", "สปภ.", "G3"),
    ("PWD", "สำนักการโยธา", "Public Works Department", "สนย.", "G3"),
    ("DDS", "สำนักการระบายน้ำ", "Drainage and Sewerage Department", "สนน.", "G3"),
    ("TTD", "สำนักการจราจรและขนส่ง", "Traffic and Transportation Department", "สจส.", "G3"),
    (
        "CPD",
        "สำนักการวางผังและพัฒนาเมือง",
        "City Planning and Urban Development Department",
        "",
        "G3",
    ),
    (
        "GSO",
        "สำนักงานเลขานุการผู้ว่าราชการกรุงเทพมหานคร",
        "Office of the Governor's Secretary",
        "",
        "G1",
    ),
    (
        "CSO",
        "สำนักงานเลขานุการสภากรุงเทพมหานคร",
        "Bangkok Metropolitan Council Secretariat Office",
        "",
        "G1",
    ),
]

# shared/data/bangkok_districts.csv: national geocode, Thai and English name.
DISTRICTS = [
    ("1001", "พระนคร", "Phra Nakhon"),
    ("1002", "ดุสิต", "Dusit"),
    ("1003", "หนองจอก", "Nong Chok"),
    ("1004", "บางรัก", "Bang Rak"),
    ("1005", "บางเขน", "Bang Khen"),
    ("1006", "บางกะปิ", "Bang Kapi"),
    ("1007", "ปทุมวัน", "Pathum Wan"),
    ("1008", "ป้อมปราบศัตรูพ่าย", "Pom Prap Sattru Phai"),
    ("1009", "พระโขนง", "Phra Khanong"),
    ("1010", "มีนบุรี", "Min Buri"),
    ("1011", "ลาดกระบัง", "Lat Krabang"),
    ("1012", "ยานนาวา", "Yan Nawa"),
    ("1013", "สัมพันธวงศ์", "Samphanthawong"),
    ("1014", "พญาไท", "Phaya Thai"),
    ("1015", "ธนบุรี", "Thon Buri"),
    ("1016", "บางกอกใหญ่", "Bangkok Yai"),
    ("1017", "ห้วยขวาง", "Huai Khwang"),
    ("1018", "คลองสาน", "Khlong San"),
    ("1019", "ตลิ่งชัน", "Taling Chan"),
    ("1020", "บางกอกน้อย", "Bangkok Noi"),
    ("1021", "บางขุนเทียน", "Bang Khun Thian"),
    ("1022", "ภาษีเจริญ", "Phasi Charoen"),
    ("1023", "หนองแขม", "Nong Khaem"),
    ("1024", "ราษฎร์บูรณะ", "Rat Burana"),
    ("1025", "บางพลัด", "Bang Phlat"),
    ("1026", "ดินแดง", "Din Daeng"),
    ("1027", "บึงกุ่ม", "Bueng Kum"),
    ("1028", "สาทร", "Sathon"),
    ("1029", "บางซื่อ", "Bang Sue"),
    ("1030", "จตุจักร", "Chatuchak"),
    ("1031", "บางคอแหลม", "Bang Kho Laem"),
    ("1032", "ประเวศ", "Prawet"),
    ("1033", "คลองเตย", "Khlong Toei"),
    ("1034", "สวนหลวง", "Suan Luang"),
    ("1035", "จอมทอง", "Chom Thong"),
    ("1036", "ดอนเมือง", "Don Mueang"),
    ("1037", "ราชเทวี", "Ratchathewi"),
    ("1038", "ลาดพร้าว", "Lat Phrao"),
    ("1039", "วัฒนา", "Watthana"),
    ("1040", "บางแค", "Bang Khae"),
    ("1041", "หลักสี่", "Lak Si"),
    ("1042", "สายไหม", "Sai Mai"),
    ("1043", "คันนายาว", "Khan Na Yao"),
    ("1044", "สะพานสูง", "Saphan Sung"),
    ("1045", "วังทองหลาง", "Wang Thonglang"),
    ("1046", "คลองสามวา", "Khlong Sam Wa"),
    ("1047", "บางนา", "Bang Na"),
    ("1048", "ทวีวัฒนา", "Thawi Watthana"),
    ("1049", "ทุ่งครุ", "Thung Khru"),
    ("1050", "บางบอน", "Bang Bon"),
]

# Measure units: key → (Thai, English).
MEASURES = {
    "km": ("กิโลเมตร", "km"),
    "canal": ("คลอง", "canals"),
    "point": ("จุด", "points"),
    "pct": ("ร้อยละ", "%"),
    "person": ("คน", "persons"),
    "time": ("ครั้ง", "times"),
    "day": ("วัน", "days"),
    "lamp": ("ดวง", "lamps"),
    "hour": ("ชั่วโมง", "hours"),
    "minute": ("นาที", "minutes"),
    "place": ("แห่ง", "places"),
    "project": ("โครงการ", "projects"),
    "tree": ("ต้น", "trees"),
    "ton": ("ตัน", "tonnes"),
    "case": ("เรื่อง", "cases"),
    "household": ("ครัวเรือน", "households"),
    "community": ("ชุมชน", "communities"),
    "school": ("โรงเรียน", "schools"),
    "item": ("รายการ", "items"),
    "dataset": ("ชุดข้อมูล", "datasets"),
    "system": ("ระบบ", "systems"),
    "service": ("บริการ", "services"),
    "course": ("หลักสูตร", "courses"),
    "event": ("กิจกรรม", "events"),
    "route": ("เส้นทาง", "routes"),
    "rai": ("ไร่", "rai"),
    "shop": ("ร้าน", "shops"),
    "vehicle": ("คัน", "vehicles"),
    "building": ("อาคาร", "buildings"),
    "sign": ("ป้าย", "signs"),
    "animal": ("ตัว", "animals"),
    "lane": ("ซอย", "lanes"),
    "parcel": ("แปลง", "parcels"),
    "machine": ("เครื่อง", "machines"),
    "kw": ("กิโลวัตต์", "kW"),
    "m3": ("ลูกบาศก์เมตร", "cubic metres"),
    "ream": ("รีม", "reams"),
    "rate": ("ต่อพันคน", "per 1,000"),
}

# Measure units whose targets and values carry decimals.
DECIMAL_MEASURES = {"km", "pct", "hour", "minute", "day", "ton", "rai", "rate"}


@dataclass(frozen=True)
class KpiSpec:
    name_th: str
    name_en: str
    measure: str
    dept_target: float  # typical annual target of a lead (H) department
    district_target: float | None  # typical annual target of one district office
    decrease: bool = False
    last: bool = False  # a level (latest value counts) rather than a sum over periods

    @property
    def aggregation(self) -> str:
        return "last" if self.last or self.measure == "pct" else "sum"


@dataclass(frozen=True)
class PolicySpec:
    dimension: str
    title_th: str
    title_en: str
    lead: str  # H departments, space-separated
    support: str  # R units: department codes, ALL (every district) or D<n> (n districts)
    kpis: list[KpiSpec] = field(default_factory=list)
    group: str | None = None


def k(
    name_th: str,
    name_en: str,
    measure: str,
    dept: float,
    district: float | None = None,
    *,
    down: bool = False,
    last: bool = False,
) -> KpiSpec:
    return KpiSpec(name_th, name_en, measure, dept, district, down, last)


def p(
    dimension: str,
    title_th: str,
    title_en: str,
    lead: str,
    support: str,
    *kpis: KpiSpec,
    group: str | None = None,
) -> PolicySpec:
    return PolicySpec(dimension, title_th, title_en, lead, support, list(kpis), group)


# fmt: off
POLICIES: list[PolicySpec] = [
    # ---- ปลอดภัยดี (safety) ----
    p("safety", "ไฟสว่างทั่วกรุง ซ่อมและเปลี่ยนไฟฟ้าแสงสว่างเป็นหลอด LED",
      "Bright streets: repair street lights and switch to LED", "PWD", ALL_DISTRICTS,
      k("ไฟฟ้าแสงสว่างที่ได้รับการซ่อมแซม", "Street lights repaired", "lamp", 8000, 450),
      k("ดวงโคมที่เปลี่ยนเป็นหลอด LED", "Street lamps replaced with LED", "lamp", 20000, 300)),
    p("safety", "กล้อง CCTV ใช้งานได้จริงทุกตัว", "Working CCTV cameras across the city",
      "TTD", ALL_DISTRICTS,
      k("กล้อง CCTV ที่ใช้งานได้", "CCTV cameras working", "pct", 95, 95),
      k("คำขอดูภาพจากกล้อง CCTV ที่ให้บริการภายใน 1 วัน",
        "CCTV footage requests served within 1 day", "pct", 90, 90)),
    p("safety", "สำรวจและแก้ไขจุดเสี่ยงอาชญากรรมและจุดอับ",
      "Inspect and fix crime risk spots and blind spots", "CLE", "TTD " + ALL_DISTRICTS,
      k("จุดเสี่ยงที่ได้รับการตรวจสอบ", "Risk spots inspected", "point", 400, 40),
      k("จุดเสี่ยงที่ได้รับการแก้ไข", "Risk spots fixed", "pct", 80, 80)),
    p("safety", "ซ้อมแผนรับมือสาธารณภัยร่วมกับชุมชน", "Disaster drills with communities",
      "FRD", ALL_DISTRICTS,
      k("การฝึกซ้อมแผนรับมือสาธารณภัย", "Disaster drills held", "time", 60, 4),
      k("ผู้เข้าร่วมการฝึกซ้อม", "Drill participants", "person", 6000, 200)),
    p("safety", "แผนที่เสี่ยงภัย BKK Risk Map ครบทุกเขต",
      "BKK Risk Map: one map of the city's hazards", "FRD", "CPD " + ALL_DISTRICTS,
      k("การปรับปรุงข้อมูลแผนที่เสี่ยงภัย BKK Risk Map", "BKK Risk Map updates", "time", 12, 6),
      k("จุดเสี่ยงภัยที่บันทึกในแผนที่", "Hazard spots recorded on the map", "point", 500, 20)),
    p("safety", "ลดเวลาเข้าถึงที่เกิดเหตุเพลิงไหม้", "Faster fire response", "FRD", "TTD",
      k("เวลาเฉลี่ยในการเข้าถึงที่เกิดเหตุเพลิงไหม้", "Average time to reach a fire scene",
        "minute", 10, None, down=True, last=True),
      k("ผู้เสียชีวิตจากเหตุเพลิงไหม้", "Fire deaths", "person", 40, down=True)),
    p("safety", "อาสาสมัครป้องกันภัยฝ่ายพลเรือน (อปพร.) ครบทุกชุมชน",
      "Civil defence volunteers in every community", "FRD", ALL_DISTRICTS,
      k("อาสาสมัคร อปพร. ที่ได้รับการฝึกอบรม", "Civil defence volunteers trained", "person",
        3000, 80),
      k("ชุมชนที่มีอาสาสมัคร อปพร. ประจำ", "Communities with a civil defence team", "pct", 80, 80)),
    p("safety", "ตรวจความปลอดภัยอัคคีภัยในอาคารสูงและอาคารสาธารณะ",
      "Fire-safety inspection of high-rise and public buildings", "FRD", "CPD D8",
      k("อาคารที่ได้รับการตรวจความปลอดภัย", "Buildings inspected for fire safety", "building",
        400, 20),
      k("อาคารที่แก้ไขข้อบกพร่องแล้ว", "Buildings with defects corrected", "pct", 85, 85)),
    p("safety", "จัดระเบียบสายสื่อสารและนำสายลงดิน", "Tidy overhead cables and move them underground",
      "PWD", "TTD",
      k("ระยะทางที่จัดระเบียบสายสื่อสาร", "Overhead cables tidied", "km", 200),
      k("สายไฟฟ้าที่นำลงดิน", "Power lines moved underground", "km", 20)),
    p("safety", "เสาไฟฉุกเฉิน SOS ในสวนสาธารณะ", "SOS emergency poles in public parks", "ENV",
      "CLE",
      k("เสา SOS ที่ติดตั้งและใช้งานได้", "SOS poles installed and working", "point", 120),
      k("เหตุแจ้งผ่านเสา SOS ที่ช่วยเหลือภายใน 10 นาที", "SOS calls answered within 10 minutes",
        "pct", 95)),
    p("safety", "แก้ไขจุดเสี่ยงอุบัติเหตุทางถนน (Black Spot)", "Fix road-accident black spots",
      "TTD", "PWD",
      k("จุดเสี่ยงอุบัติเหตุที่ได้รับการแก้ไข", "Accident black spots fixed", "point", 50),
      k("ผู้เสียชีวิตจากอุบัติเหตุทางถนน", "Road deaths", "person", 700, down=True)),
    p("safety", "แก้ไขจุดเสี่ยงน้ำท่วมให้ระบายได้เร็ว", "Fix flood-prone spots", "DDS",
      ALL_DISTRICTS,
      k("จุดเสี่ยงน้ำท่วมที่ได้รับการแก้ไข", "Flood-prone spots fixed", "point", 30, 2),
      k("ระยะเวลาน้ำท่วมขังหลังฝนตกหนัก", "Flood hours after heavy rain", "hour", 3, 3,
        down=True, last=True)),
    p("safety", "ขุดลอกคลองและเปิดทางน้ำไหล", "Dredge canals and clear waterways", "DDS",
      ALL_DISTRICTS,
      k("คลองที่ได้รับการขุดลอก", "Canals dredged", "canal", 213, 19),
      k("สิ่งกีดขวางทางน้ำที่ได้รับการรื้อถอน", "Waterway obstructions removed", "point", 200,
        10)),
    p("safety", "ล้างท่อระบายน้ำทั่วกรุง", "Clean the city's drains", "DDS", ALL_DISTRICTS,
      k("ท่อระบายน้ำที่ได้รับการล้างทำความสะอาด", "Drains cleaned", "km", 2000, 80),
      k("เรื่องร้องเรียนท่ออุดตันที่แก้ไขภายใน 7 วัน",
        "Blocked-drain complaints fixed within 7 days", "pct", 90, 90)),
    p("safety", "เตรียมสถานีสูบน้ำและอุโมงค์ระบายน้ำให้พร้อม",
      "Keep pumping stations and drainage tunnels ready", "DDS", "",
      k("เครื่องสูบน้ำที่พร้อมใช้งาน", "Pumps ready for use", "pct", 98),
      k("สถานีสูบน้ำที่ได้รับการบำรุงรักษา", "Pumping stations maintained", "place", 190)),
    p("safety", "เครื่องวัดระดับน้ำและแจ้งเตือนน้ำท่วมแบบเรียลไทม์",
      "Real-time water-level sensors and flood alerts", "DDS", "TTD",
      k("เครื่องวัดระดับน้ำที่รายงานผลได้", "Water-level sensors reporting", "point", 150),
      k("การแจ้งเตือนน้ำท่วมที่ส่งถึงประชาชน", "Flood alerts sent", "time", 100)),
    p("safety", "ตรวจสอบความปลอดภัยสะพานและทางยกระดับ", "Safety checks of bridges and flyovers",
      "PWD", "",
      k("สะพานที่ได้รับการตรวจสอบ", "Bridges inspected", "place", 300),
      k("สะพานที่ซ่อมแซมตามผลการตรวจ", "Bridges repaired after inspection", "place", 30)),
    p("safety", "ลดความเสี่ยงอัคคีภัยในชุมชนแออัด", "Fire-risk reduction in dense communities",
      "FRD", "SOC D10",
      k("ชุมชนที่ได้รับอุปกรณ์ดับเพลิง", "Communities given fire-fighting equipment",
        "community", 100, 5),
      k("ผู้นำชุมชนที่ผ่านการอบรมดับเพลิงขั้นต้น", "Community leaders trained in fire fighting",
        "person", 2000, 60)),
    p("safety", "ป้องกันเด็กจมน้ำ สอนว่ายน้ำเพื่อเอาชีวิตรอด",
      "Drowning prevention: survival swimming for children", "HLT", "EDU CST",
      k("เด็กที่ผ่านการฝึกว่ายน้ำเพื่อเอาชีวิตรอด", "Children trained in survival swimming",
        "person", 6000), group="G2"),
    p("safety", "ตรวจความปลอดภัยสถานบริการและสถานบันเทิง",
      "Safety inspection of entertainment venues", "CLE", "FRD D12",
      k("สถานบริการที่ได้รับการตรวจ", "Entertainment venues inspected", "place", 1500, 30),
      k("สถานบริการที่ผ่านเกณฑ์ความปลอดภัย", "Venues meeting safety rules", "pct", 90, 90)),
    p("safety", "ดูแลความปลอดภัยรอบสถานศึกษา", "Safe school gates at opening and closing times",
      "CLE EDU", "EDU " + ALL_DISTRICTS,
      k("โรงเรียนที่มีเจ้าหน้าที่ดูแลช่วงเข้าออก", "Schools with officers at entry and exit",
        "school", 437, 9),
      k("อุบัติเหตุหน้าโรงเรียน", "Accidents at school gates", "case", 40, 1, down=True)),
    p("safety", "รื้อถอนป้ายโฆษณาที่ผิดกฎหมายและเป็นอันตราย",
      "Remove dangerous illegal billboards", "CPD", "D8",
      k("ป้ายโฆษณาที่ได้รับการตรวจสอบและรื้อถอน", "Billboards inspected or removed", "sign",
        200, 5)),
    p("safety", "แก้ปัญหาสุนัขและแมวจรจัด", "Stray dog and cat management", "HLT", "D15",
      k("สัตว์จรจัดที่ได้รับการทำหมันและฉีดวัคซีน", "Stray animals sterilised and vaccinated",
        "animal", 20000, 400),
      k("เรื่องร้องเรียนสุนัขจรจัดที่แก้ไขแล้ว", "Stray-dog complaints resolved",
        "pct", 80, 80), group="G2"),
    p("safety", "สายด่วน 199 รับแจ้งเหตุได้ทันที", "Emergency line 199 answers at once", "FRD",
      "",
      k("สายแจ้งเหตุที่รับภายใน 1 นาที", "Emergency calls answered within 1 minute", "pct",
        95)),
    p("safety", "ตรวจความปลอดภัยสนามเด็กเล่นและเครื่องเล่น",
      "Safe playgrounds: inspect play equipment", "ENV", "D10",
      k("สนามเด็กเล่นที่ได้รับการตรวจ", "Playgrounds inspected", "place", 300, 6),
      k("เครื่องเล่นที่ซ่อมหรือเปลี่ยนใหม่", "Play equipment repaired or replaced",
        "item", 500, 10)),
    p("safety", "ตรวจถังดับเพลิงในชุมชนให้พร้อมใช้", "Community fire extinguishers kept ready",
      "FRD", "D10",
      k("ถังดับเพลิงที่ได้รับการตรวจ", "Fire extinguishers checked", "item", 10000, 200)),
    # ---- เดินทางดี (travel) ----
    p("travel", "ทางเท้าดี เดินได้ทุกคน", "Walkable footpaths for everyone", "PWD", ALL_DISTRICTS,
      k("ทางเท้าที่ได้รับการซ่อมแซม", "Footpaths repaired", "km", 120, 8),
      k("เรื่องร้องเรียนทางเท้าที่แก้ไขภายใน 15 วัน",
        "Footpath complaints fixed within 15 days", "pct", 85, 85)),
    p("travel", "ทางลาดและทางเท้าสำหรับคนพิการและผู้สูงอายุ",
      "Ramps and footpaths for disabled and elderly people", "PWD", "SOC",
      k("ทางลาดที่ก่อสร้างหรือปรับปรุง", "Kerb ramps built or improved", "point", 500),
      k("ทางเท้าที่ปรับระดับให้เรียบ", "Footpath levelled for wheelchairs", "km", 20)),
    p("travel", "ปรับปรุงป้ายรถเมล์และศาลาที่พักผู้โดยสาร", "Better bus stops and shelters",
      "TTD", "D10",
      k("ศาลาที่พักผู้โดยสารที่ได้รับการซ่อมแซม", "Bus shelters repaired", "point", 400, 10),
      k("ป้ายรถเมล์ที่ติดตั้งไฟฟ้าแสงสว่าง", "Bus stops lit at night", "point", 300, 8)),
    p("travel", "รถโดยสาร BMA Feeder เชื่อมระบบราง", "BMA Feeder buses to rail stations",
      "TTD", "",
      k("เส้นทางรถโดยสาร Feeder ที่ให้บริการ", "Feeder routes operating", "route", 8,
        last=True),
      k("ผู้โดยสารรถ Feeder", "Feeder bus passengers", "person", 1500000)),
    p("travel", "จัดระเบียบวินรถจักรยานยนต์รับจ้าง", "Organise motorcycle-taxi stands", "TTD",
      ALL_DISTRICTS,
      k("วินรถจักรยานยนต์รับจ้างที่ได้รับการตรวจ", "Motorcycle-taxi stands inspected", "point",
        5000, 80),
      k("ผู้ขับขี่ที่ขึ้นทะเบียน", "Registered motorcycle-taxi riders", "person", 80000, 1500)),
    p("travel", "สัญญาณไฟจราจรอัจฉริยะบนถนนสายหลัก", "Adaptive traffic signals on main roads",
      "TTD", "",
      k("ทางแยกที่ติดตั้งสัญญาณไฟอัจฉริยะ", "Junctions with adaptive signals", "point", 100),
      k("เวลาเดินทางเฉลี่ยบนถนนสายหลัก", "Average travel time on main corridors", "minute",
        35, down=True, last=True)),
    p("travel", "แก้ไขจุดฝืดการจราจร", "Fix traffic bottlenecks", "TTD PWD", "PWD CLE",
      k("จุดฝืดที่ได้รับการแก้ไข", "Bottlenecks fixed", "point", 50),
      k("เรื่องร้องเรียนการจราจรติดขัดที่แก้ไขแล้ว", "Traffic complaints resolved", "pct", 80)),
    p("travel", "เรือโดยสารคลองแสนแสบและคลองผดุงกรุงเกษม", "Canal boat services", "TTD", "DDS",
      k("ผู้โดยสารเรือในคลอง", "Canal boat passengers", "person", 3000000),
      k("ท่าเรือที่ได้รับการปรับปรุง", "Piers improved", "place", 15)),
    p("travel", "ทางจักรยานที่ใช้ได้จริง", "Bike lanes people use", "TTD", "PWD D6",
      k("ทางจักรยานที่ก่อสร้างหรือปรับปรุง", "Bike lanes built or improved", "km", 30, 2),
      k("ที่จอดจักรยานที่สถานีรถไฟฟ้า", "Bike parking at rail stations", "point", 100)),
    p("travel", "ซ่อมผิวจราจรและอุดหลุมบ่อ", "Resurface roads and fill potholes", "PWD",
      ALL_DISTRICTS,
      k("หลุมบ่อที่ได้รับการซ่อม", "Potholes repaired", "point", 20000, 300),
      k("ผิวจราจรที่ปูใหม่", "Road surface renewed", "km", 60, 3)),
    p("travel", "ห้ามจอดรถบนทางเท้า", "No parking on footpaths", "CLE", "TTD " + ALL_DISTRICTS,
      k("การจับปรับจอดรถบนทางเท้า", "Footpath-parking offences fined", "case", 20000, 300),
      k("จุดห้ามจอดที่ติดตั้งหลักกันรถ", "Bollards installed against parking", "point", 1000, 20)),
    p("travel", "จุดจอดแล้วจร (Park and Ride)", "Park and ride at rail stations", "TTD", "",
      k("ที่จอดรถแล้วจรที่เปิดให้บริการ", "Park-and-ride spaces open", "vehicle", 2000,
        last=True)),
    p("travel", "ทางเดินลอยฟ้าเชื่อมระบบขนส่งมวลชน", "Skywalks to mass transit", "PWD TTD", "TTD",
      k("ทางเดินลอยฟ้าที่แล้วเสร็จ", "Skywalks completed", "project", 5)),
    p("travel", "รถไฟฟ้าสายสีเขียว บริการตรงเวลา", "Green Line: reliable service", "TTD", "",
      k("เที่ยววิ่งที่ตรงเวลา", "Trips on time", "pct", 99),
      k("ผู้โดยสารเฉลี่ยต่อวัน", "Average daily passengers", "person", 800000, last=True)),
    p("travel", "ปรับปรุงท่าเรือและทางเดินริมน้ำ", "Piers and riverside walkways", "PWD", "DDS",
      k("ทางเดินริมน้ำที่ปรับปรุงแล้ว", "Riverside walkway improved", "km", 5)),
    p("travel", "สะพานลอยคนข้าม ซ่อมหรือรื้อถอนที่ไม่จำเป็น",
      "Footbridges: repair or remove", "TTD", "PWD D10",
      k("สะพานลอยที่ได้รับการซ่อมแซม", "Footbridges repaired", "place", 60, 2),
      k("สะพานลอยที่รื้อถอน", "Footbridges removed", "place", 10, 1)),
    p("travel", "ข้อมูลจราจรเรียลไทม์สำหรับประชาชน", "Real-time traffic information", "TTD",
      "SED",
      k("จุดตรวจวัดจราจรที่รายงานข้อมูลได้", "Traffic sensors reporting", "pct", 90)),
    p("travel", "ทางเท้าโล่ง ไม่มีสิ่งกีดขวาง", "Clear obstructions from footpaths", "CLE",
      ALL_DISTRICTS,
      k("สิ่งกีดขวางทางเท้าที่ได้รับการรื้อย้าย", "Footpath obstructions cleared", "point",
        5000, 150),
      k("เรื่องร้องเรียนทางเท้าถูกกีดขวางที่แก้ไขภายใน 3 วัน",
        "Obstruction complaints fixed within 3 days", "pct", 90, 90)),
    p("travel", "รถโดยสารไฟฟ้าสำหรับบริการสาธารณะ", "Electric buses for public service", "TTD",
      "",
      k("รถโดยสารไฟฟ้าที่ให้บริการ", "Electric buses in service", "vehicle", 50, last=True)),
    p("travel", "อุโมงค์ทางลอดไม่มีน้ำท่วมขัง", "Underpasses free of flooding", "PWD DDS", "DDS",
      k("อุโมงค์ทางลอดที่เครื่องสูบน้ำพร้อมใช้", "Underpasses with working pumps", "pct",
        100)),
    p("travel", "ซอยดี ปรับปรุงถนนในซอย", "Better lanes (soi)", "PWD", ALL_DISTRICTS,
      k("ซอยที่ได้รับการปรับปรุงผิวถนน", "Lanes resurfaced", "lane", 200, 10),
      k("ซอยที่ติดตั้งไฟฟ้าแสงสว่างครบ", "Lanes fully lit", "lane", 150, 8)),
    p("travel", "ทางเดินหลังคาคลุมเชื่อมสถานีรถไฟฟ้า", "Covered walkways to rail stations",
      "TTD", "CPD PWD",
      k("ทางเดินหลังคาคลุมที่ก่อสร้าง", "Covered walkways built", "km", 8)),
    p("travel", "ป้ายรถเมล์แสดงเวลารถมาถึง", "Bus stops showing arrival times", "TTD", "",
      k("ป้ายรถเมล์ที่แสดงเวลารถมาถึง", "Bus stops with arrival displays", "point", 300)),
    p("travel", "ทางข้ามปลอดภัย ทาสีใหม่และติดสัญญาณไฟ", "Safe pedestrian crossings",
      "TTD", ALL_DISTRICTS,
      k("ทางข้ามที่ได้รับการตรวจสอบ", "Pedestrian crossings inspected", "point", 800, 60),
      k("ทางข้ามที่ทาสีใหม่หรือติดสัญญาณไฟ", "Crossings repainted or fitted with signals",
        "point", 300, 10)),
    p("travel", "กวดขันการใช้ช่องทางเดินรถประจำทาง", "Keep bus lanes clear", "TTD", "CLE",
      k("การจับปรับรถในช่องทางเดินรถประจำทาง", "Bus-lane violations fined", "case", 5000)),
    p("travel", "รถรับส่งคนพิการ", "Door-to-door transport for disabled people", "TTD", "SOC",
      k("เที่ยวการให้บริการรับส่งคนพิการ", "Trips for disabled passengers", "time", 20000),
      k("คนพิการที่ลงทะเบียนใช้บริการ", "Disabled passengers registered", "person", 3000)),
    # ---- สุขภาพดี (health) ----
    p("health", "ศูนย์บริการสาธารณสุขเปิดนอกเวลาราชการ",
      "Evening clinics at public health centres", "HLT", "",
      k("ผู้รับบริการคลินิกนอกเวลา", "Patients served after hours", "person", 100000),
      k("ศูนย์บริการสาธารณสุขที่เปิดนอกเวลา", "Health centres open in the evening", "place",
        69, last=True)),
    p("health", "การแพทย์ทางไกล ลดการรอคิว", "Telemedicine to cut waiting", "MED", "HLT",
      k("การให้คำปรึกษาทางไกล", "Telemedicine consultations", "time", 50000),
      k("เวลารอตรวจเฉลี่ยที่แผนกผู้ป่วยนอก", "Average outpatient waiting time", "minute", 60,
        down=True, last=True)),
    p("health", "หน่วยแพทย์เคลื่อนที่ลงชุมชน", "Mobile clinics in communities", "HLT", "D12",
      k("การออกหน่วยแพทย์เคลื่อนที่", "Mobile clinic visits", "time", 600, 12),
      k("ผู้รับบริการหน่วยแพทย์เคลื่อนที่", "Patients seen at mobile clinics",
        "person", 30000, 600)),
    p("health", "ดูแลผู้ป่วยติดเตียงที่บ้าน", "Home care for bedridden patients", "HLT", "SOC MED",
      k("ผู้ป่วยติดเตียงที่ได้รับการเยี่ยมบ้าน", "Bedridden patients visited at home",
        "person", 8000),
      k("ผู้ดูแลผู้ป่วยที่ได้รับการอบรม", "Family caregivers trained", "person", 2000)),
    p("health", "คัดกรองเบาหวานและความดันโลหิตสูงในชุมชน",
      "Diabetes and hypertension screening", "HLT", ALL_DISTRICTS,
      k("ประชาชนที่ได้รับการคัดกรอง", "Persons screened", "person", 200000, 2000),
      k("ผู้ป่วยรายใหม่ที่เข้าสู่การรักษา", "New patients put on treatment", "pct", 80, 80)),
    p("health", "ควบคุมโรคไข้เลือดออก", "Dengue control", "HLT", ALL_DISTRICTS,
      k("ครัวเรือนที่ได้รับการสำรวจลูกน้ำยุงลาย", "Households surveyed for mosquito larvae",
        "household", 100000, 2000),
      k("ผู้ป่วยไข้เลือดออก", "Dengue cases", "person", 3000, 60, down=True)),
    p("health", "โรงพยาบาลในเขตที่ยังไม่มีโรงพยาบาล", "Hospitals for districts without one",
      "MED PWD", "PWD",
      k("ความก้าวหน้าการก่อสร้างโรงพยาบาล", "Hospital construction progress", "pct", 60)),
    p("health", "ลดเวลารอรับยา", "Shorter wait for medicines", "MED", "",
      k("เวลารอรับยาเฉลี่ย", "Average wait for medicines", "minute", 30, down=True,
        last=True)),
    p("health", "สายด่วนสุขภาพจิตและคลินิกให้คำปรึกษา", "Mental-health hotline and counselling",
      "MED", "HLT",
      k("ครั้งการให้คำปรึกษาสุขภาพจิต", "Counselling sessions", "time", 10000),
      k("สายด่วนที่รับได้", "Hotline calls answered", "pct", 90)),
    p("health", "ตรวจสุขลักษณะร้านอาหารและตลาด", "Food-safety inspection of shops and markets",
      "HLT", ALL_DISTRICTS,
      k("ร้านอาหารที่ได้รับการตรวจ", "Food shops inspected", "shop", 5000, 200),
      k("ตัวอย่างอาหารที่ผ่านเกณฑ์", "Food samples passing tests", "pct", 95, 95)),
    p("health", "เด็กได้รับวัคซีนครบตามเกณฑ์", "Children fully vaccinated", "HLT", "",
      k("เด็กที่ได้รับวัคซีนครบ", "Children fully vaccinated", "pct", 95),
      k("เด็กที่ได้รับวัคซีนหัด", "Children vaccinated against measles", "person", 60000)),
    p("health", "ศูนย์ฟื้นฟูสุขภาพผู้สูงอายุ", "Rehabilitation centres for elderly people",
      "HLT", "SOC",
      k("ผู้สูงอายุที่เข้าร่วมการฟื้นฟู", "Elderly people in rehabilitation", "person", 5000)),
    p("health", "ระบบส่งต่อผู้ป่วยไร้รอยต่อ", "Seamless patient referrals", "MED", "HLT",
      k("การส่งต่อผู้ป่วยที่เสร็จภายใน 1 วัน", "Referrals completed within 1 day", "pct", 90)),
    p("health", "ลานกีฬาและออกกำลังกายในชุมชน", "Community sports grounds", "CST", "D10",
      k("ลานกีฬาที่ได้รับการปรับปรุง", "Sports grounds improved", "place", 150, 3),
      k("ผู้ใช้ลานกีฬา", "Sports-ground users", "person", 300000, 6000)),
    p("health", "รถพยาบาลศูนย์เอราวัณถึงเร็ว", "Erawan ambulances arrive fast", "MED", "",
      k("เวลาเฉลี่ยรถพยาบาลถึงที่เกิดเหตุ", "Average ambulance response time", "minute", 10,
        down=True, last=True)),
    p("health", "คลินิกหมอครอบครัว", "Family doctor clinics", "HLT", "MED",
      k("ประชาชนที่ลงทะเบียนกับหมอครอบครัว", "Persons registered with a family doctor",
        "person", 300000)),
    p("health", "คัดกรองภาวะหกล้มและสมองเสื่อมในผู้สูงอายุ",
      "Screening elderly people for falls and dementia", "HLT", "SOC",
      k("ผู้สูงอายุที่ได้รับการคัดกรอง", "Elderly people screened", "person", 50000),
      k("ผู้สูงอายุกลุ่มเสี่ยงที่ได้รับการดูแลต่อเนื่อง", "At-risk elderly people followed up",
        "pct", 80)),
    p("health", "อาสาสมัครสาธารณสุขครบทุกชุมชน", "Health volunteers in every community", "HLT",
      ALL_DISTRICTS,
      k("อาสาสมัครสาธารณสุขที่ได้รับการอบรม", "Health volunteers trained", "person", 3000,
        60),
      k("ครัวเรือนที่อาสาสมัครเยี่ยมบ้าน", "Households visited by volunteers",
        "household", 50000, 1000)),
    p("health", "ป้องกันการตั้งครรภ์ในวัยรุ่น", "Teenage pregnancy prevention", "HLT", "EDU",
      k("อัตราการคลอดในหญิงอายุ 15-19 ปี", "Births to women aged 15-19", "rate", 20,
        down=True, last=True),
      k("นักเรียนที่ได้รับความรู้เพศศึกษา", "Pupils taught sex education", "person", 40000)),
    p("health", "บำบัดผู้ใช้ยาเสพติดโดยชุมชน", "Community-based drug treatment", "HLT SOC",
      "SOC CLE",
      k("ผู้ใช้ยาเสพติดที่ได้รับการบำบัด", "Persons treated for drug use", "person", 3000),
      k("ผู้ผ่านการบำบัดที่ไม่กลับไปเสพซ้ำ", "Treated persons not relapsing", "pct", 70)),
    p("health", "รับยาที่ร้านยาใกล้บ้าน", "Medicines at a pharmacy near home", "MED", "",
      k("ใบสั่งยาที่รับผ่านร้านยา", "Prescriptions filled at pharmacies", "time", 60000)),
    p("health", "สุขภาพช่องปากเด็กนักเรียน", "Dental care for schoolchildren", "HLT", "EDU",
      k("นักเรียนที่ได้รับการตรวจฟัน", "Pupils given dental checks", "person", 150000),
      k("นักเรียนที่ได้รับการเคลือบหลุมร่องฟัน", "Pupils given dental sealants", "person", 40000)),
    p("health", "ห้องปลอดฝุ่นสำหรับกลุ่มเปราะบาง", "Dust-free rooms for vulnerable people",
      "HLT EDU", "EDU SOC",
      k("ห้องปลอดฝุ่นที่จัดไว้", "Dust-free rooms ready", "place", 500)),
    p("health", "นัดหมายออนไลน์ในโรงพยาบาลและศูนย์บริการสาธารณสุข",
      "Online appointments at hospitals and health centres", "MED", "HLT",
      k("การนัดหมายผ่านระบบออนไลน์", "Appointments booked online", "pct", 40)),
    p("health", "ที่พักพิงและฟื้นฟูคนไร้บ้าน", "Shelter and rehabilitation for homeless people",
      "SOC", "HLT",
      k("คนไร้บ้านที่ได้รับที่พักพิง", "Homeless people sheltered", "person", 1000),
      k("คนไร้บ้านที่กลับสู่ครอบครัวหรือมีงานทำ", "Homeless people back with family or in work",
        "person", 300)),
    p("health", "จดทะเบียนคนพิการและบริการที่สำนักงานเขต",
      "Disability registration and services at district offices", "SOC", ALL_DISTRICTS,
      k("คนพิการที่ได้รับการจดทะเบียน", "Disabled persons registered", "person", 5000, 100),
      k("คำขอบัตรคนพิการที่ออกภายใน 1 วัน", "Disability cards issued within 1 day", "pct", 90, 90)),
    p("health", "ชมรมผู้สูงอายุมีกิจกรรมต่อเนื่อง", "Active clubs for elderly people", "SOC",
      "D12",
      k("ผู้สูงอายุที่ร่วมกิจกรรมชมรม", "Elderly people in club activities", "person", 20000,
        500)),
    p("health", "ศูนย์คุ้มครองเด็กและสตรี", "Protection centre for children and women", "SOC",
      "MED",
      k("เรื่องที่ได้รับการช่วยเหลือ", "Cases assisted", "case", 800)),
    # ---- สร้างสรรค์ดี (creative) ----
    p("creative", "ดนตรีในสวน", "Music in the park", "CST", "ENV",
      k("การแสดงดนตรีในสวนสาธารณะ", "Concerts in parks", "time", 200),
      k("ผู้ชมการแสดงดนตรีในสวน", "Audience at park concerts", "person", 100000)),
    p("creative", "เทศกาลกรุงเทพฯ ทุกเขต", "Bangkok festivals in every district", "CST",
      ALL_DISTRICTS,
      k("เทศกาลที่จัดในเขต", "District festivals held", "event", 100, 2),
      k("ผู้ร่วมงานเทศกาล", "Festival visitors", "person", 500000, 5000)),
    p("creative", "ห้องสมุดมีชีวิต", "Living libraries", "CST", "D10",
      k("ผู้ใช้บริการห้องสมุด", "Library visitors", "person", 500000, 8000),
      k("ห้องสมุดที่ปรับปรุงแล้ว", "Libraries renovated", "place", 10)),
    p("creative", "ถนนคนเดิน", "Walking streets", "CST", "CLE D8",
      k("ครั้งที่จัดถนนคนเดิน", "Walking-street days", "event", 48, 6),
      k("ผู้ค้าที่ร่วมถนนคนเดิน", "Vendors at walking streets", "person", 2000, 100)),
    p("creative", "พื้นที่แสดงของศิลปินเปิดหมวก", "Public space for street performers", "CST",
      "",
      k("จุดแสดงที่ขึ้นทะเบียน", "Performance spots registered", "point", 100)),
    p("creative", "ฟื้นฟูย่านเก่า", "Revive old neighbourhoods", "CPD", "CST D5",
      k("โครงการฟื้นฟูย่าน", "Neighbourhood revival projects", "project", 6, 1)),
    p("creative", "พิพิธภัณฑ์ท้องถิ่น", "Local museums", "CST", "D10",
      k("ผู้เข้าชมพิพิธภัณฑ์ท้องถิ่น", "Local museum visitors", "person", 200000, 3000),
      k("กิจกรรมการเรียนรู้ในพิพิธภัณฑ์", "Museum learning activities", "event", 60, 4)),
    p("creative", "เทศกาลออกแบบและย่านสร้างสรรค์", "Design week and creative districts", "CST",
      "CPD",
      k("กิจกรรมสร้างสรรค์ที่จัด", "Creative events held", "event", 20)),
    p("creative", "อนุญาตถ่ายทำภาพยนตร์ในพื้นที่สาธารณะแบบจุดเดียว",
      "One-stop film permits for public spaces", "CST", "",
      k("ระยะเวลาออกใบอนุญาตถ่ายทำ", "Days to issue a film permit", "day", 5, down=True,
        last=True)),
    p("creative", "ลีกกีฬาเยาวชน", "Youth sports leagues", "CST", "EDU",
      k("เยาวชนที่ร่วมการแข่งขัน", "Young people in leagues", "person", 20000),
      k("ชนิดกีฬาที่จัดการแข่งขัน", "Sports in the leagues", "item", 12, last=True)),
    p("creative", "ศูนย์เยาวชนเปิดถึงค่ำ", "Youth centres open into the evening", "CST", "",
      k("ผู้ใช้บริการศูนย์เยาวชน", "Youth centre visits", "person", 600000)),
    p("creative", "เทศกาลอาหารไทยและซอฟต์พาวเวอร์", "Thai food and soft-power festivals",
      "CST", "",
      k("เทศกาลที่จัด", "Festivals held", "event", 4)),
    p("creative", "กิจกรรมลานคนเมือง", "Events at Lan Khon Mueang plaza", "CST", "OPS",
      k("กิจกรรมที่จัดที่ลานคนเมือง", "Events at the plaza", "event", 50),
      k("ผู้ร่วมกิจกรรม", "Plaza visitors", "person", 100000)),
    p("creative", "ศิลปะในพื้นที่สาธารณะ", "Public art in public spaces", "CST", "CPD",
      k("ผลงานศิลปะที่ติดตั้ง", "Public artworks installed", "item", 30)),
    p("creative", "บันทึกประวัติศาสตร์และมรดกชุมชน", "Community heritage records", "CST",
      "D10",
      k("ชุมชนที่มีบันทึกมรดกชุมชน", "Communities with heritage records", "community",
        100, 2)),
    p("creative", "ท่องเที่ยวเชิงวัฒนธรรมริมคลอง", "Canal-side cultural tourism", "CST",
      "DDS D6",
      k("เส้นทางท่องเที่ยวริมคลอง", "Canal-side tourist routes", "route", 10, 1),
      k("นักท่องเที่ยวเส้นทางริมคลอง", "Canal-route tourists", "person", 20000, 1000)),
    p("creative", "กีฬามวลชนและกรุงเทพมาราธอน", "Mass sports and the Bangkok marathon", "CST",
      "",
      k("ผู้เข้าร่วมกิจกรรมกีฬามวลชน", "Mass-sports participants", "person", 50000),
      k("รายการแข่งขันที่จัด", "Mass-sports events held", "event", 6)),
    p("creative", "พื้นที่สร้างสรรค์สำหรับเยาวชน", "Creative spaces for young people", "CST",
      "ENV",
      k("พื้นที่เยาวชนที่เปิดใช้", "Youth spaces opened", "place", 10)),
    p("creative", "นิทรรศการศิลปะนักเรียน", "Student art exhibitions", "EDU", "CST",
      k("นิทรรศการที่จัด", "Exhibitions held", "event", 12)),
    p("creative", "ห้องสมุดออนไลน์ e-Book", "Online library and e-books", "CST", "",
      k("การยืม e-Book", "E-book loans", "time", 100000)),
    # ---- สิ่งแวดล้อมดี (environment) ----
    p("environment", "ปลูกต้นไม้ล้านต้น", "One million trees", "ENV", ALL_DISTRICTS,
      k("ต้นไม้ที่ปลูก", "Trees planted", "tree", 200000, 3000),
      k("อัตราการรอดของต้นไม้ที่ปลูก", "Planted trees surviving", "pct", 90, 90)),
    p("environment", "สวน 15 นาที ใกล้บ้าน", "15-minute parks near every home", "ENV",
      ALL_DISTRICTS,
      k("สวน 15 นาทีที่เปิดใช้", "Pocket parks opened", "place", 40, 1),
      k("พื้นที่สวน 15 นาทีที่เพิ่มขึ้น", "Pocket-park area added", "rai", 60, 1.5)),
    p("environment", "คัดแยกขยะต้นทาง", "Waste separation at source", "ENV", ALL_DISTRICTS,
      k("ครัวเรือนที่คัดแยกขยะ", "Households separating waste", "household", 100000, 3000),
      k("ปริมาณขยะที่ต้องกำจัด", "Waste sent for disposal", "ton", 3000000, 60000,
        down=True)),
    p("environment", "ตรวจวัดและแจ้งเตือนฝุ่น PM2.5", "PM2.5 monitoring and alerts", "ENV",
      ALL_DISTRICTS,
      k("เครื่องวัดฝุ่นที่รายงานผลได้", "Dust sensors reporting", "pct", 95, 95),
      k("การแจ้งเตือนค่าฝุ่นผ่านช่องทางออนไลน์", "Dust alerts published", "time", 365, 50)),
    p("environment", "ตรวจแหล่งกำเนิดฝุ่น โรงงานและสถานที่ก่อสร้าง",
      "Inspect dust sources: factories and construction sites", "ENV", ALL_DISTRICTS,
      k("สถานประกอบการที่ได้รับการตรวจ", "Dust sources inspected", "place", 3000, 60),
      k("สถานประกอบการที่ได้รับคำสั่งให้แก้ไข", "Dust sources ordered to fix", "place", 300, 6)),
    p("environment", "ตรวจควันดำรถยนต์", "Black smoke from vehicles", "ENV", "CLE TTD",
      k("รถที่ได้รับการตรวจควันดำ", "Vehicles checked for black smoke", "vehicle", 50000),
      k("รถที่ถูกสั่งห้ามใช้", "Vehicles ordered off the road", "vehicle", 3000)),
    p("environment", "คุณภาพน้ำในคลอง", "Canal water quality", "DDS ENV", "ENV",
      k("คลองที่คุณภาพน้ำผ่านเกณฑ์", "Canals meeting water-quality standard", "pct", 60),
      k("จุดตรวจคุณภาพน้ำที่เก็บตัวอย่างครบ", "Water sampling points sampled", "point", 300)),
    p("environment", "บำบัดน้ำเสียให้เต็มศักยภาพ", "Use wastewater plants to capacity", "DDS",
      "",
      k("ปริมาณน้ำเสียที่บำบัดเทียบกับความสามารถ", "Wastewater treatment capacity used",
        "pct", 80),
      k("ครัวเรือนที่เชื่อมต่อท่อรวบรวมน้ำเสีย", "Households connected to sewers",
        "household", 20000)),
    p("environment", "ลดเสียงรบกวน", "Less noise", "ENV", "D10",
      k("เรื่องร้องเรียนเสียงดังที่แก้ไขแล้ว", "Noise complaints resolved", "pct", 85, 85),
      k("การตรวจวัดระดับเสียง", "Noise measurements", "time", 500, 12)),
    p("environment", "สวนสาธารณะเปิดนานขึ้น", "Parks open longer hours", "ENV", "",
      k("สวนที่เปิด 05.00-22.00 น.", "Parks open 05:00-22:00", "place", 30, last=True)),
    p("environment", "ปรับปรุงสวนสาธารณะขนาดใหญ่", "Upgrade large parks", "ENV", "",
      k("สวนที่ได้รับการปรับปรุง", "Parks upgraded", "place", 10),
      k("ผู้ใช้บริการสวนสาธารณะ", "Park visitors", "person", 10000000)),
    p("environment", "รุกขกรตัดแต่งต้นไม้อย่างถูกวิธี", "Arborists for proper tree pruning",
      "ENV", "D10",
      k("เจ้าหน้าที่ที่ผ่านการอบรมรุกขกร", "Staff trained as arborists", "person", 300, 6),
      k("ต้นไม้ที่ตัดแต่งถูกวิธี", "Trees pruned to standard", "tree", 50000, 1000)),
    p("environment", "เก็บขนขยะตรงเวลา", "Waste collected on schedule", "ENV", ALL_DISTRICTS,
      k("จุดพักขยะที่เก็บตรงเวลา", "Collection points cleared on schedule", "pct", 95, 95),
      k("เรื่องร้องเรียนขยะตกค้าง", "Uncollected-waste complaints", "case", 3000, 60, down=True)),
    p("environment", "ขยะอินทรีย์ทำปุ๋ย", "Compost organic waste", "ENV", "D10",
      k("ขยะอินทรีย์ที่นำไปทำปุ๋ย", "Food waste composted", "ton", 10000, 200)),
    p("environment", "สำนักงานลดใช้พลาสติก", "Plastic-free offices", "ENV", "OPS",
      k("หน่วยงานที่งดใช้พลาสติกแบบใช้ครั้งเดียว", "Offices free of single-use plastic",
        "place", 100)),
    p("environment", "ขยะอันตรายจากชุมชน", "Hazardous household waste", "ENV", "D12",
      k("ขยะอันตรายที่เก็บรวบรวม", "Hazardous waste collected", "ton", 500, 8),
      k("จุดรับขยะอันตรายในชุมชน", "Hazardous-waste drop-off points", "point", 200, 4)),
    p("environment", "พลังงานแสงอาทิตย์บนหลังคาอาคาร กทม.", "Solar rooftops on BMA buildings",
      "ENV", "PWD",
      k("กำลังผลิตไฟฟ้าจากแสงอาทิตย์ที่ติดตั้ง", "Solar capacity installed", "kw", 2000),
      k("อาคารที่ติดตั้งแผงโซลาร์", "Buildings with solar panels", "building", 40)),
    p("environment", "ลดก๊าซเรือนกระจกจากหน่วยงาน กทม.", "Cut greenhouse gases from BMA",
      "ENV", "",
      k("ปริมาณก๊าซเรือนกระจกที่ปล่อย", "Greenhouse gases emitted", "ton", 200000,
        down=True)),
    p("environment", "รถเก็บขยะไฟฟ้า", "Electric refuse trucks", "ENV", "",
      k("รถเก็บขยะไฟฟ้าที่ใช้งาน", "Electric refuse trucks in use", "vehicle", 50,
        last=True)),
    p("environment", "ทางเดินสีเขียวริมคลอง", "Green canal-side walkways", "DDS", "ENV PWD",
      k("ทางเดินริมคลองที่แล้วเสร็จ", "Canal-side walkway completed", "km", 10)),
    p("environment", "ห้องน้ำสาธารณะสะอาด", "Clean public toilets", "ENV", "D10",
      k("ห้องน้ำสาธารณะที่ผ่านมาตรฐาน", "Public toilets meeting standard", "pct", 90, 90)),
    p("environment", "เพิ่มพื้นที่สีเขียว", "More green space per person", "ENV", "CPD",
      k("พื้นที่สีเขียวที่เพิ่มขึ้น", "Green space added", "rai", 100),
      k("ต้นไม้ใหญ่ที่ขึ้นทะเบียน", "Large trees registered", "tree", 5000)),
    p("environment", "กำจัดผักตบชวาในคลอง", "Remove water hyacinth from canals", "DDS",
      "D12",
      k("ผักตบชวาที่เก็บได้", "Water hyacinth removed", "ton", 50000, 500),
      k("คลองที่ไม่มีผักตบชวากีดขวาง", "Canals clear of hyacinth", "pct", 90, 90)),
    p("environment", "ลดการเผาในที่โล่ง", "Stop open burning", "ENV", "D8",
      k("เรื่องร้องเรียนการเผาในที่โล่ง", "Open-burning complaints", "case", 200, 10,
        down=True)),
    p("environment", "เกษตรในเมือง", "Urban farming", "SOC", "D6",
      k("ผู้ที่ได้รับการอบรมเกษตรในเมือง", "Urban farmers trained", "person", 2000, 100),
      k("แปลงเกษตรในเมือง", "Urban farm plots", "place", 100, 5)),
    # ---- โครงสร้างดี (structure) ----
    p("structure", "ผังเมืองรวมกรุงเทพมหานครฉบับปรับปรุง", "The revised city plan", "CPD", "",
      k("การรับฟังความคิดเห็นประชาชน", "Public hearings held", "time", 20),
      k("ความก้าวหน้าการจัดทำผังเมืองรวม", "City plan progress", "pct", 100)),
    p("structure", "ขออนุญาตก่อสร้างออนไลน์", "Online building permits", "CPD", ALL_DISTRICTS,
      k("ใบอนุญาตที่ออกภายใน 30 วัน", "Permits issued within 30 days", "pct", 90, 90),
      k("ระยะเวลาเฉลี่ยในการออกใบอนุญาตก่อสร้าง", "Average days to issue a building permit",
        "day", 30, 30, down=True, last=True)),
    p("structure", "ดำเนินการกับอาคารผิดกฎหมาย", "Enforcement against illegal buildings",
      "CPD", ALL_DISTRICTS,
      k("เรื่องอาคารผิดกฎหมายที่ดำเนินการแล้ว", "Illegal-building cases handled", "case",
        1000, 30),
      k("คำสั่งรื้อถอนที่ดำเนินการแล้ว", "Demolition orders carried out", "case", 200, 5)),
    p("structure", "ปรับปรุงชุมชนแออัด", "Upgrade dense communities", "SOC", "CPD D6",
      k("ชุมชนที่ได้รับการปรับปรุง", "Communities upgraded", "community", 20, 1),
      k("ครัวเรือนที่ได้รับประโยชน์", "Households benefiting", "household", 2000, 100)),
    p("structure", "บ้านมั่นคงสำหรับผู้มีรายได้น้อย", "Secure housing for low-income families",
      "SOC", "CPD",
      k("ครัวเรือนที่ได้รับที่อยู่อาศัย", "Households housed", "household", 1000)),
    p("structure", "ระบบภูมิสารสนเทศกรุงเทพมหานคร", "City GIS", "CPD", "SED",
      k("ชั้นข้อมูลภูมิสารสนเทศที่เผยแพร่", "GIS layers published", "dataset", 50),
      k("ผู้ใช้งานระบบภูมิสารสนเทศ", "GIS users", "person", 5000)),
    p("structure", "ซ่อมสะพานข้ามคลอง", "Repair bridges over canals", "PWD", "D10",
      k("สะพานข้ามคลองที่ได้รับการซ่อม", "Canal bridges repaired", "place", 100, 3)),
    p("structure", "ก่อสร้างเขื่อนริมคลอง", "Canal embankments", "DDS", "",
      k("เขื่อนริมคลองที่ก่อสร้างแล้วเสร็จ", "Embankment completed", "km", 15),
      k("ความก้าวหน้าโครงการเขื่อน", "Embankment project progress", "pct", 70)),
    p("structure", "ถนนเชื่อมต่อที่ขาดหาย", "Missing road links", "PWD", "CPD",
      k("ถนนเชื่อมต่อที่แล้วเสร็จ", "Missing links completed", "route", 5)),
    p("structure", "อาคารสาธารณะที่ทุกคนเข้าถึงได้", "Accessible public buildings", "PWD", "SOC",
      k("อาคารที่มีทางลาด ลิฟต์ และห้องน้ำสำหรับทุกคน", "Buildings made accessible",
        "building", 200)),
    p("structure", "น้ำประปาและไฟฟ้าสำหรับบ้านที่ไม่มีทะเบียนบ้าน",
      "Water and power for homes without house registration", "ARO", "D10",
      k("ครัวเรือนที่ได้รับการเชื่อมต่อ", "Households connected", "household", 2000, 40)),
    p("structure", "ขยายท่อระบายน้ำสายหลัก", "Enlarge main drains", "DDS PWD", "",
      k("ท่อระบายน้ำที่ขยายแล้ว", "Drains enlarged", "km", 20)),
    p("structure", "ปิดจุดฟันหลอแนวป้องกันน้ำท่วมริมเจ้าพระยา",
      "Close gaps in the Chao Phraya flood walls", "DDS", "",
      k("จุดฟันหลอที่ได้รับการแก้ไข", "Flood-wall gaps closed", "point", 30)),
    p("structure", "ตรวจสภาพอาคารเรียนและอาคารของ กทม.",
      "Inspect school and BMA buildings", "PWD EDU", "EDU",
      k("อาคารที่ได้รับการตรวจสภาพ", "Buildings inspected", "building", 300),
      k("อาคารที่ซ่อมแซมตามผลการตรวจ", "Buildings repaired after inspection", "building", 80)),
    p("structure", "แก้มลิงและพื้นที่รับน้ำ", "Retention ponds (monkey cheeks)", "DDS", "",
      k("ความจุรับน้ำที่เพิ่มขึ้น", "Retention capacity added", "m3", 500000),
      k("แก้มลิงที่แล้วเสร็จ", "Retention ponds completed", "place", 5)),
    p("structure", "แผนพัฒนาเขตครบ 50 เขต", "Development plans for all 50 districts", "CPD",
      ALL_DISTRICTS,
      k("ความก้าวหน้าการจัดทำแผนพัฒนาเขต", "District development plan progress", "pct",
        100, 100),
      k("การประชุมรับฟังความเห็นในเขต", "District hearings held", "time", 100, 2)),
    p("structure", "พัฒนาพื้นที่ใต้ทางด่วน", "Develop the spaces under expressways", "CPD",
      "CST",
      k("พื้นที่ใต้ทางด่วนที่พัฒนาแล้ว", "Spaces developed", "place", 10)),
    p("structure", "เครื่องสูบน้ำถาวรในพื้นที่ลุ่มต่ำ", "Permanent pumps in low-lying areas",
      "DDS", "D8",
      k("เครื่องสูบน้ำที่ติดตั้ง", "Pumps installed", "machine", 60, 2)),
    p("structure", "โครงการก่อสร้างถนนและสะพานตามแผน", "Road and bridge projects on schedule",
      "PWD", "",
      k("โครงการที่เป็นไปตามแผน", "Projects on schedule", "pct", 80)),
    p("structure", "สะพานคนเดินข้ามแม่น้ำเจ้าพระยา", "Pedestrian bridge over the Chao Phraya",
      "PWD", "CPD",
      k("ความก้าวหน้าการก่อสร้าง", "Construction progress", "pct", 50)),
    p("structure", "ทางเดินริมแม่น้ำเจ้าพระยา", "Chao Phraya riverside promenade", "PWD", "CPD",
      k("ทางเดินริมแม่น้ำที่แล้วเสร็จ", "Promenade completed", "km", 3)),
    p("structure", "อาคารสำนักงานเขตประหยัดพลังงาน", "Energy-saving district office buildings",
      "PWD", "D10",
      k("อาคารที่ปรับปรุงให้ประหยัดพลังงาน", "Buildings retrofitted", "building", 20, 1)),
    p("structure", "ฐานข้อมูลสาธารณูปโภคใต้ดิน", "Map of underground utilities", "CPD",
      "PWD DDS",
      k("ระยะทางที่สำรวจและบันทึกข้อมูล", "Utilities mapped", "km", 500)),
    # ---- บริหารจัดการดี (management) ----
    p("management", "Traffy Fondue แก้ไขเรื่องร้องเรียนเร็วขึ้น",
      "Faster complaint resolution through Traffy Fondue", "SED OPS",
      "PWD DDS CLE " + ALL_DISTRICTS,
      k("ระยะเวลาเฉลี่ยในการแก้ไขเรื่องร้องเรียน", "Complaint response days", "day", 5, 5,
        down=True, last=True),
      k("เรื่องร้องเรียนที่แก้ไขเสร็จ", "Complaints resolved", "pct", 85, 85)),
    p("management", "เปิดเผยข้อมูล Open Data", "Open data", "SED", ALL_DISTRICTS,
      k("ชุดข้อมูลที่เปิดเผย", "Datasets published", "dataset", 200, 2),
      k("การดาวน์โหลดชุดข้อมูล", "Dataset downloads", "time", 100000, 500)),
    p("management", "งบประมาณโปร่งใส เปิดเผยทุกบาท", "Open budget: every baht published", "BUD FIN",
      "FIN",
      k("รายการงบประมาณที่เปิดเผย", "Budget items published", "pct", 100),
      k("ผู้เข้าชมเว็บไซต์งบประมาณ", "Budget website visits", "time", 200000)),
    p("management", "บริการประชาชนออนไลน์ที่สำนักงานเขต", "Online services at district offices",
      "OPS", "ARO " + ALL_DISTRICTS,
      k("งานบริการที่ยื่นคำขอออนไลน์ได้", "Services available online", "pct", 50, 50),
      k("คำขอที่ยื่นออนไลน์", "Applications filed online", "case", 50000, 1000)),
    p("management", "แดชบอร์ดผลการดำเนินงานของเขต", "District performance dashboard", "SED",
      "GSO",
      k("การปรับปรุงข้อมูลแดชบอร์ด", "Dashboard updates", "time", 24)),
    p("management", "เบิกจ่ายงบประมาณตามแผน", "Budget disbursed on schedule", "BUD",
      "FIN " + ALL_DISTRICTS,
      k("งบประมาณที่เบิกจ่ายได้ตามแผน", "Budget disbursed", "pct", 90, 90),
      k("โครงการที่ลงนามสัญญาภายในไตรมาสแรก", "Projects contracted in the first quarter",
        "pct", 70, 70)),
    p("management", "จัดซื้อจัดจ้างโปร่งใส", "Transparent procurement", "FIN", "",
      k("การจัดซื้อจัดจ้างผ่านระบบ e-bidding", "Procurement through e-bidding", "pct", 95),
      k("ระยะเวลาจัดซื้อจัดจ้างเฉลี่ย", "Average procurement days",
        "day", 60, down=True, last=True)),
    p("management", "ข้าราชการมีทักษะดิจิทัล", "Digital skills for staff", "CTI", "PER",
      k("บุคลากรที่ผ่านการอบรม", "Staff trained", "person", 5000),
      k("หลักสูตรออนไลน์ที่เปิด", "Online courses offered", "course", 30)),
    p("management", "สรรหาบุคลากรให้เต็มอัตรา", "Fill vacancies", "CSC", "PER",
      k("อัตราตำแหน่งว่าง", "Vacancy rate", "pct", 8, down=True),
      k("ระยะเวลาสรรหาเฉลี่ย", "Average days to fill a post", "day", 90, down=True, last=True)),
    p("management", "ประเมินผลการปฏิบัติราชการแบบใหม่", "New performance appraisal", "CSC", "",
      k("บุคลากรที่ประเมินด้วยระบบใหม่", "Staff appraised with the new system", "pct",
        100)),
    p("management", "ป้องกันและปราบปรามการทุจริต", "Anti-corruption", "OPS", "GSO",
      k("เรื่องร้องเรียนทุจริตที่ตรวจสอบเสร็จใน 60 วัน",
        "Corruption complaints investigated within 60 days", "pct", 90)),
    p("management", "นัดหมายงานทะเบียนราษฎร์ออนไลน์", "Online appointments for civil registration",
      "ARO", "D12",
      k("การนัดหมายออนไลน์", "Online appointments", "time", 50000, 1000),
      k("เวลารอรับบริการเฉลี่ย", "Average wait at registration desks",
        "minute", 20, 20, down=True, last=True)),
    p("management", "ถ่ายทอดการประชุมสภากรุงเทพมหานคร", "Council sessions broadcast live",
      "CSO", "",
      k("การประชุมที่ถ่ายทอดสด", "Sessions broadcast live", "pct", 100)),
    p("management", "ผู้ว่าฯ สัญจรพบประชาชน", "The governor meets districts", "GSO", "SED",
      k("การลงพื้นที่เขต", "District visits", "time", 50)),
    p("management", "หนังสือราชการอิเล็กทรอนิกส์", "Electronic official documents", "OPS",
      "SED",
      k("หนังสือที่เวียนทางอิเล็กทรอนิกส์", "Documents circulated electronically", "pct",
        80)),
    p("management", "สวัสดิการและความปลอดภัยเจ้าหน้าที่ภาคสนาม",
      "Welfare and safety for field staff", "PER", "CLE",
      k("เจ้าหน้าที่ภาคสนามที่มีประกันอุบัติเหตุ", "Field staff insured", "person", 20000)),
    p("management", "รายงานผลตามแผนดิจิทัลครบถ้วนทันเวลา",
      "Complete and on-time progress reporting", "SED", "OPS",
      k("หน่วยงานที่รายงานทันเวลา", "Units reporting on time", "pct", 100)),
    p("management", "ระบบคลาวด์กลาง", "Shared cloud for BMA systems", "SED", "",
      k("ระบบที่ย้ายขึ้นคลาวด์", "Systems migrated", "system", 40)),
    p("management", "ชำระค่าธรรมเนียมออนไลน์", "Pay fees online", "FIN", "D8",
      k("ค่าธรรมเนียมที่ชำระออนไลน์", "Fees paid online", "pct", 40, 40)),
    p("management", "ความพึงพอใจของประชาชนต่อบริการเขต", "Citizen satisfaction with districts",
      "SED", ALL_DISTRICTS,
      k("ความพึงพอใจของผู้รับบริการ", "Service satisfaction", "pct", 85, 85),
      k("ผู้ตอบแบบสำรวจความพึงพอใจ", "Satisfaction survey respondents", "person", 20000, 400)),
    p("management", "ลดการใช้กระดาษ", "Less paper", "OPS", "",
      k("กระดาษที่ใช้", "Paper used", "ream", 50000, down=True)),
    p("management", "ทบทวนกฎระเบียบที่เป็นอุปสรรค", "Review rules that get in the way", "OPS",
      "CSO",
      k("ระเบียบที่ได้รับการแก้ไข", "Rules revised", "item", 20)),
    p("management", "งบประมาณแบบมีส่วนร่วม", "Participatory budgeting", "BUD", ALL_DISTRICTS,
      k("ข้อเสนอชุมชนที่ได้รับงบประมาณ", "Community proposals funded", "project", 200, 4),
      k("ผู้ร่วมลงคะแนนเลือกโครงการ", "Residents voting on proposals", "person", 100000, 2000)),
    p("management", "พัฒนาผู้บริหาร", "Leadership programme", "CTI", "",
      k("ผู้บริหารที่ผ่านการอบรม", "Executives trained", "person", 500)),
    p("management", "ศูนย์ข้อมูลกรุงเทพมหานคร", "City data platform", "SED", "",
      k("ชุดข้อมูลที่เชื่อมโยงแล้ว", "Datasets integrated", "dataset", 100)),
    p("management", "ตรวจสุขภาพประจำปีบุคลากร", "Annual health checks for staff", "PER", "MED",
      k("บุคลากรที่ได้รับการตรวจสุขภาพ", "Staff health-checked", "person", 30000)),
    p("management", "ตอบกระทู้และญัตติสภาภายในกำหนด", "Council motions answered on time",
      "CSO", "GSO",
      k("ญัตติที่ตอบภายใน 30 วัน", "Motions answered within 30 days", "pct", 90)),
    p("management", "ทะเบียนทรัพย์สินของ กทม.", "Register of BMA assets", "FIN", "OPS",
      k("ทรัพย์สินที่บันทึกในระบบ", "Assets recorded", "item", 20000)),
    # ---- เรียนดี (education) ----
    p("education", "ห้องเรียนดิจิทัล", "Digital classrooms", "EDU", ALL_DISTRICTS,
      k("ห้องเรียนที่มีอุปกรณ์ดิจิทัล", "Classrooms equipped", "place", 1000, 20),
      k("ครูที่ใช้สื่อดิจิทัลในการสอน", "Teachers using digital media", "pct", 80, 80)),
    p("education", "อาหารกลางวันคุณภาพ", "Quality school lunches", "EDU", ALL_DISTRICTS,
      k("โรงเรียนที่อาหารกลางวันผ่านเกณฑ์", "Schools meeting the lunch standard", "pct", 95,
        95),
      k("นักเรียนที่มีภาวะโภชนาการสมวัย", "Pupils with healthy weight", "pct", 85, 85)),
    p("education", "ลดภาระงานธุรการครู", "Admin staff so teachers can teach", "EDU", "CSC",
      k("โรงเรียนที่มีเจ้าหน้าที่ธุรการ", "Schools with admin staff", "school", 437,
        last=True)),
    p("education", "อนุบาลสามขวบ", "Pre-school from age three", "EDU", "D15",
      k("ห้องเรียนอนุบาลที่เปิดใหม่", "Pre-school classrooms opened", "place", 100, 2),
      k("เด็กอายุ 3 ขวบที่เข้าเรียน", "Three-year-olds enrolled", "person", 3000, 60)),
    p("education", "โรงเรียนสองภาษา", "Bilingual schools", "EDU", "",
      k("โรงเรียนสองภาษา", "Bilingual schools", "school", 100, last=True)),
    p("education", "การอ่านออกเขียนได้", "Reading and writing for every child", "EDU", "",
      k("นักเรียนที่ผ่านการประเมินการอ่าน", "Pupils passing the reading test", "pct", 80),
      k("นักเรียนที่ได้รับการสอนซ่อมเสริม", "Pupils given remedial classes", "person", 20000)),
    p("education", "ลดเด็กหลุดออกนอกระบบการศึกษา", "Keep children in school", "EDU",
      "SOC " + ALL_DISTRICTS,
      k("เด็กที่หลุดออกนอกระบบ", "Pupils dropping out", "person", 500, 10, down=True),
      k("เด็กที่กลับเข้าสู่ระบบการศึกษา", "Children brought back to school", "person", 300, 6)),
    p("education", "ศูนย์พัฒนาเด็กเล็กได้มาตรฐาน", "Early-childhood centres up to standard",
      "SOC", ALL_DISTRICTS,
      k("ศูนย์พัฒนาเด็กเล็กที่ผ่านมาตรฐาน", "Centres meeting the standard", "pct", 90, 90),
      k("เด็กเล็กที่ได้รับการตรวจพัฒนาการ", "Young children screened for development",
        "person", 30000, 600)),
    p("education", "อินเทอร์เน็ตความเร็วสูงในโรงเรียน", "Fast internet in schools", "EDU", "SED",
      k("โรงเรียนที่มีอินเทอร์เน็ตความเร็วสูง", "Schools with fast internet", "pct", 100)),
    p("education", "ห้องน้ำโรงเรียนสะอาด", "Clean school toilets", "EDU", "PWD",
      k("ห้องน้ำที่ปรับปรุงแล้ว", "Toilets renovated", "place", 300)),
    p("education", "ทักษะอาชีพในโรงเรียน", "Vocational skills in schools", "EDU", "",
      k("หลักสูตรทักษะอาชีพที่เปิดสอน", "Vocational courses offered", "course", 50),
      k("นักเรียนที่ผ่านหลักสูตรอาชีพ", "Pupils completing vocational courses", "person", 5000)),
    p("education", "โรงเรียนฝึกอาชีพเพื่อการเรียนรู้ตลอดชีวิต",
      "Vocational schools for lifelong learning", "SOC", "D8",
      k("ผู้ผ่านการฝึกอาชีพ", "Trainees completing courses", "person", 20000, 300),
      k("ผู้ผ่านการฝึกที่มีงานทำ", "Trainees in work", "pct", 60, 60)),
    p("education", "ทุนการศึกษา", "Scholarships", "EDU", "",
      k("นักเรียนที่ได้รับทุน", "Pupils given scholarships", "person", 2000)),
    p("education", "พัฒนาครู", "Teacher development", "EDU", "CTI",
      k("ครูที่ผ่านการอบรม", "Teachers trained", "person", 5000),
      k("ครูที่ได้รับการนิเทศในชั้นเรียน", "Teachers coached in class", "person", 2000)),
    p("education", "ชุดนักเรียนฟรี", "Free school uniforms", "EDU", ALL_DISTRICTS,
      k("นักเรียนที่ได้รับชุดนักเรียน", "Pupils given uniforms", "person", 260000, 5000),
      k("ระยะเวลาแจกชุดนักเรียนหลังเปิดภาคเรียน", "Days to hand out uniforms after term starts",
        "day", 15, 15, down=True, last=True)),
    p("education", "ห้องสมุดโรงเรียน", "School libraries", "EDU", "",
      k("ห้องสมุดโรงเรียนที่ปรับปรุง", "School libraries improved", "place", 100)),
    p("education", "การศึกษาเรียนร่วม", "Inclusive education", "EDU", "SOC",
      k("โรงเรียนที่มีห้องเรียนร่วม", "Schools with inclusive classes", "school", 120),
      k("นักเรียนพิการที่เรียนร่วม", "Disabled pupils in inclusive classes", "person", 3000)),
    p("education", "สุขภาพจิตนักเรียน", "Mental health of pupils", "EDU", "HLT",
      k("นักเรียนที่ได้รับการคัดกรองสุขภาพจิต", "Pupils screened for mental health", "person",
        100000)),
    p("education", "เรียนรู้นอกห้องเรียน", "Learning outside the classroom", "EDU", "CST",
      k("การทัศนศึกษา", "Study visits", "time", 300)),
    p("education", "ชมรมโค้ดดิ้งและ STEM", "Coding and STEM clubs", "EDU", "",
      k("โรงเรียนที่มีชมรมโค้ดดิ้ง", "Schools with coding clubs", "school", 150),
      k("นักเรียนในชมรม", "Club members", "person", 6000)),
    # ---- เศรษฐกิจดี (economy) ----
    p("economy", "จัดระเบียบหาบเร่แผงลอย", "Organise street vending", "CLE", ALL_DISTRICTS,
      k("จุดผ่อนผันหาบเร่แผงลอยที่ได้รับการจัดระเบียบ", "Street-vendor points organised",
        "point", 700, 14),
      k("ผู้ค้าที่ขึ้นทะเบียน", "Street vendors registered", "person", 15000, 300),
      group="G3"),
    p("economy", "ศูนย์อาหารสำหรับผู้ค้า (Hawker Centre)", "Hawker centres for street vendors",
      "CLE", "D8",
      k("ศูนย์อาหารที่เปิดให้บริการ", "Hawker centres open", "place", 10, 1),
      k("ผู้ค้าที่ย้ายเข้าศูนย์อาหาร", "Vendors moved into hawker centres",
        "person", 500, 30), group="G3"),
    p("economy", "ตลาดนัดชุมชน", "Community markets", "SOC", "D12",
      k("ตลาดนัดชุมชนที่เปิด", "Community markets opened", "place", 30, 2),
      k("ผู้ค้าในตลาดนัดชุมชน", "Vendors at community markets", "person", 1500, 80)),
    p("economy", "ฝึกอาชีพผู้ประกอบการรายย่อย", "Training for small entrepreneurs", "SOC",
      "D10",
      k("ผู้ประกอบการที่ได้รับการอบรม", "Entrepreneurs trained", "person", 5000, 100),
      k("ผู้ผ่านการอบรมที่มีรายได้เพิ่มขึ้น", "Trainees with higher income", "pct", 60, 60)),
    p("economy", "จัดเก็บภาษีที่ดินและสิ่งปลูกสร้าง", "Land and building tax collection", "FIN",
      ALL_DISTRICTS,
      k("ภาษีที่จัดเก็บได้เทียบกับเป้าหมาย", "Tax collected against estimate", "pct", 95,
        95),
      k("ภาษีค้างชำระที่ติดตามได้", "Tax arrears recovered", "pct", 50, 50)),
    p("economy", "แผนที่ภาษีเป็นปัจจุบัน", "An up-to-date tax map", "FIN", ALL_DISTRICTS,
      k("แปลงที่ดินที่สำรวจ", "Land parcels surveyed", "parcel", 100000, 2000)),
    p("economy", "ท่องเที่ยวชุมชน", "Community tourism", "CST", "D10",
      k("เส้นทางท่องเที่ยวชุมชน", "Community tourism routes", "route", 20, 1)),
    p("economy", "ศูนย์จัดหางานกรุงเทพฯ", "Bangkok job centre", "SOC", "",
      k("ผู้ได้รับการบรรจุงาน", "Persons placed in jobs", "person", 5000),
      k("ตำแหน่งงานว่างที่ประกาศ", "Vacancies advertised", "item", 20000)),
    p("economy", "สินค้าชุมชนออนไลน์", "Community products online", "SOC", "",
      k("สินค้าที่ขึ้นร้านค้าออนไลน์", "Products listed online", "item", 500)),
    p("economy", "ออกใบอนุญาตประกอบกิจการเร็วขึ้น", "Faster business licences", "HLT",
      ALL_DISTRICTS,
      k("ระยะเวลาเฉลี่ยในการออกใบอนุญาต", "Days to issue a business licence", "day", 15,
        15, down=True, last=True),
      k("คำขอใบอนุญาตที่ยื่นออนไลน์", "Licence applications filed online", "pct", 50, 50)),
    p("economy", "กองทุนพัฒนาอาชีพ", "Micro-loans for livelihoods", "SOC", "FIN",
      k("สินเชื่อที่อนุมัติ", "Loans approved", "case", 1000)),
    p("economy", "ตลาดสดน่าซื้อ", "Clean fresh markets", "HLT", "D10",
      k("ตลาดที่ผ่านเกณฑ์ตลาดน่าซื้อ", "Markets meeting the standard", "place", 100, 3)),
    p("economy", "เศรษฐกิจกลางคืน", "Night economy", "CST", "CLE",
      k("กิจกรรมยามค่ำคืน", "Night events", "event", 24),
      k("ผู้ร่วมกิจกรรมยามค่ำคืน", "Night-event visitors", "person", 200000)),
    p("economy", "แอปขึ้นทะเบียนผู้ค้า", "Vendor registration app", "CLE", "SED",
      k("ผู้ค้าที่ลงทะเบียนผ่านแอป", "Vendors registered through the app", "pct", 80),
      group="G3"),
    p("economy", "อาหารริมทางของกรุงเทพฯ", "Bangkok street food", "CST", "HLT",
      k("ร้านที่ได้รับการรับรอง", "Shops certified", "shop", 200)),
    p("economy", "จ้างงานผู้สูงอายุและคนพิการ", "Jobs for elderly and disabled people", "SOC",
      "PER",
      k("ผู้ได้รับการจ้างงาน", "Persons employed", "person", 1000)),
    p("economy", "ชำระเงินด้วย QR ในตลาด", "QR payments in markets", "FIN", "D6",
      k("ตลาดที่รับชำระด้วย QR", "Markets accepting QR payments", "place", 100, 4)),
    p("economy", "ศูนย์ข้อมูลนักท่องเที่ยว", "Tourist information centres", "CST", "",
      k("นักท่องเที่ยวที่รับบริการ", "Tourists served", "person", 100000)),
    p("economy", "ส่งเสริมสตาร์ทอัพและธุรกิจสร้างสรรค์", "Start-ups and creative businesses",
      "SED", "CST",
      k("สตาร์ทอัพที่ได้รับการสนับสนุน", "Start-ups supported", "project", 50)),
    p("economy", "ตลาดนัดสีเขียว", "Green markets", "ENV", "D6",
      k("ตลาดนัดสีเขียวที่จัด", "Green markets held", "event", 24, 4)),
]
# fmt: on


def _nice(value: float, measure: str) -> float:
    """Round a target the way a planner writes it (2 significant digits, whole units)."""
    if value <= 0:
        return 0.0
    if measure == "pct":
        return float(min(100, 5 * round(value / 5)))
    if measure in DECIMAL_MEASURES and value < 20:
        return round(value * 2) / 2 or 0.5
    digits = max(0, int(math.floor(math.log10(value))) - 1)
    rounded = round(value / 10**digits) * 10**digits
    return float(max(1, rounded))


def _allocate(total: int, weights: list[float]) -> list[int]:
    """Split an integer total by weights (largest remainder), so the parts add up exactly."""
    raw = [total * w / sum(weights) for w in weights]
    parts = [int(math.floor(x)) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: (parts[i] - raw[i], i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


class _BaseTarget(NamedTuple):
    """A (KPI, unit) target for the first fiscal year, before the yearly adjustments."""

    kpi_code: str
    unit_code: str
    target: float
    measure: str
    decrease: bool
    fixed: bool  # a published figure (canals, drains kept): the same every year


# KPIs whose district targets add up to a published total (canals: 948, drains: 4,000 km).
DISTRICT_TOTALS = {"Canals dredged": 948, "Drains cleaned": 4000}


def build_tables(seed: int = SEED) -> dict[str, list[dict[str, object]]]:
    """Every reference table as rows, in the column order of `catalog.DTYPES`."""
    rng = random.Random(seed)
    district_codes = [code for code, _, _ in DISTRICTS]
    dept_codes = {code for code, *_ in DEPARTMENTS}
    # A district's size (households, road length) scales its share of citywide work.
    district_weight = {code: rng.uniform(0.6, 1.6) for code in district_codes}

    tables: dict[str, list[dict[str, object]]] = {name: [] for name in DTYPES}
    tables["mission_groups"] = [
        {"group_code": c, "name_th": th, "name_en": en} for c, th, en in MISSION_GROUPS
    ]
    tables["dimensions"] = [
        {"dimension_code": c, "name_th": th, "name_en": en} for c, th, en in DIMENSIONS
    ]
    for code, name_th, name_en, abbrev, group in DEPARTMENTS:
        tables["units"].append(
            {
                "unit_code": code,
                "unit_type": "department",
                "name_th": name_th,
                "name_en": name_en,
                "abbrev_th": abbrev,
                "group_code": group,
            }
        )
    for code, name_th, name_en in DISTRICTS:
        tables["units"].append(
            {
                "unit_code": code,
                "unit_type": "district",
                "name_th": f"สำนักงานเขต{name_th}",
                "name_en": f"{name_en} District Office",
                "abbrev_th": "",
                "group_code": "",
            }
        )

    # (kpi_code, unit_code, role) → base annual target for the first fiscal year.
    base_targets: list[_BaseTarget] = []
    kpi_number = 0
    for index, spec in enumerate(POLICIES, start=1):
        policy_code = f"P{index:03d}"
        tables["policies"].append(
            {
                "policy_code": policy_code,
                "title_th": spec.title_th,
                "title_en": spec.title_en,
                "dimension_code": spec.dimension,
                "group_code": spec.group or DIMENSION_GROUP[spec.dimension],
            }
        )
        leads = spec.lead.split()
        roles: dict[str, str] = {code: "H" for code in leads}
        for token in spec.support.split():
            if token == ALL_DISTRICTS:
                chosen = district_codes
            elif token.startswith("D") and token[1:].isdigit():
                chosen = sorted(rng.sample(district_codes, int(token[1:])))
            elif token in dept_codes:
                chosen = [token]
            else:
                raise ValueError(f"{policy_code}: unknown unit token {token!r}")
            for code in chosen:
                roles.setdefault(code, "R")
        for code, role in roles.items():
            tables["assignments"].append(
                {"policy_code": policy_code, "unit_code": code, "role": role}
            )

        for kpi in spec.kpis:
            kpi_number += 1
            kpi_code = f"K{kpi_number:04d}"
            th, en = MEASURES[kpi.measure]
            tables["kpis"].append(
                {
                    "kpi_code": kpi_code,
                    "policy_code": policy_code,
                    "name_th": kpi.name_th,
                    "name_en": kpi.name_en,
                    "measure_unit_th": th,
                    "measure_unit_en": en,
                    "direction": "decrease" if kpi.decrease else "increase",
                    "aggregation": kpi.aggregation,
                    "is_percentage": kpi.measure == "pct",
                }
            )
            districts = [c for c in roles if c not in dept_codes]
            exact: dict[str, int] = {}
            if kpi.name_en in DISTRICT_TOTALS:
                shares = _allocate(
                    DISTRICT_TOTALS[kpi.name_en], [district_weight[c] for c in districts]
                )
                exact = dict(zip(districts, shares, strict=True))
                exact.update({code: int(kpi.dept_target) for code in leads})
            is_level = kpi.aggregation == "last"
            for code, role in roles.items():
                if code in dept_codes:
                    # A supporting department does a share of the work; a level is the same.
                    base = kpi.dept_target if role == "H" or is_level else kpi.dept_target / 4
                    scale = 1.0
                elif kpi.district_target is not None:
                    base, scale = kpi.district_target, district_weight[code]
                else:
                    base = kpi.dept_target if is_level else max(kpi.dept_target / 50, 1)
                    scale = district_weight[code]
                if code in exact:
                    target = float(exact[code])
                elif is_level:
                    target = _level_target(kpi, base, rng)
                else:
                    target = _nice(base * scale * rng.uniform(0.8, 1.25), kpi.measure)
                base_targets.append(
                    _BaseTarget(kpi_code, code, target, kpi.measure, kpi.decrease, bool(exact))
                )

    increase_sum_kpis = {
        row["kpi_code"]
        for row in tables["kpis"]
        if row["direction"] == "increase" and row["aggregation"] == "sum"
    }
    tables["targets"] = _yearly_targets(base_targets, increase_sum_kpis, rng)
    tables["key_projects"] = _key_projects(len(POLICIES), rng)
    return tables


def _level_target(kpi: KpiSpec, base: float, rng: random.Random) -> float:
    """A target for a `last` KPI: the level to hold (percent, days, routes in service)."""
    if kpi.measure == "pct":
        if kpi.decrease:
            return float(max(1, round(base + rng.choice([-2, -1, 0, 0, 1]))))
        return float(min(100, base + rng.choice([-5, 0, 0, 0, 5])) if base < 100 else 100)
    if kpi.decrease:
        return float(max(1, round(base * rng.uniform(0.8, 1.2))))
    return _nice(base, kpi.measure)


def _yearly_targets(
    base_targets: list[_BaseTarget],
    increase_sum_kpis: set[str],
    rng: random.Random,
) -> list[dict[str, object]]:
    """Targets per fiscal year: the next year asks a little more; ~2% of pairs have none."""
    rows: list[dict[str, object]] = []
    zero_candidates = [
        i
        for i, base in enumerate(base_targets)
        if base.kpi_code in increase_sum_kpis and base.unit_code.isdigit() and not base.fixed
    ]
    zero_pairs = set(rng.sample(zero_candidates, N_ZERO_TARGETS))
    for year_index, fiscal_year in enumerate(FISCAL_YEARS):
        for i, base in enumerate(base_targets):
            if rng.random() < MISSING_TARGET_SHARE:
                continue
            target = base.target
            if year_index and not base.fixed and base.measure != "pct" and target > 0:
                stretch = rng.uniform(0.85, 1.0) if base.decrease else rng.uniform(1.0, 1.15)
                target = _nice(target * stretch, base.measure)
            if year_index == 0 and i in zero_pairs:
                target = 0.0
            rows.append(
                {
                    "fiscal_year": fiscal_year,
                    "kpi_code": base.kpi_code,
                    "unit_code": base.unit_code,
                    "annual_target": target,
                }
            )
    return rows


# Policies the governor's office picked to do first; a few carry over to the next year.
KEY_PROJECT_PREFERENCE = [
    "Bright streets: repair street lights and switch to LED",
    "Working CCTV cameras across the city",
    "Dredge canals and clear waterways",
    "Clean the city's drains",
    "Fix flood-prone spots",
    "Walkable footpaths for everyone",
    "Organise street vending",
    "One million trees",
    "15-minute parks near every home",
    "Faster complaint resolution through Traffy Fondue",
    "Open data",
    "BKK Risk Map: one map of the city's hazards",
    "Inspect and fix crime risk spots and blind spots",
]


def _key_projects(n_policies: int, rng: random.Random) -> list[dict[str, object]]:
    by_title = {spec.title_en: f"P{i:03d}" for i, spec in enumerate(POLICIES, start=1)}
    preferred = [by_title[title] for title in KEY_PROJECT_PREFERENCE]
    others = [f"P{i:03d}" for i in range(1, n_policies + 1) if f"P{i:03d}" not in preferred]
    year_one = sorted(preferred + rng.sample(others, 25 - len(preferred)))
    carried = rng.sample(year_one, 12)
    fresh = rng.sample([c for c in others if c not in year_one], 10)
    year_two = sorted(carried + fresh)
    return [{"fiscal_year": FISCAL_YEARS[0], "policy_code": c} for c in year_one] + [
        {"fiscal_year": FISCAL_YEARS[1], "policy_code": c} for c in year_two
    ]


def _format_cell(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(round(value, 2))
    return str(value)


def write_tables(tables: dict[str, list[dict[str, object]]], out_dir: Path) -> list[Path]:
    """Write each table as UTF-8 CSV with exactly the columns of `catalog.DTYPES`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, dtypes in DTYPES.items():
        path = out_dir / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(list(dtypes))
            for row in tables[name]:
                writer.writerow([_format_cell(row[column]) for column in dtypes])
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="folder for the CSVs")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    tables = build_tables(args.seed)
    for path in write_tables(tables, args.out):
        print(f"{path}: {len(tables[path.stem])} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
