#!/usr/bin/env python3
"""Generates socval's example feeds: deploy/examples/.

    python3 tools/make_examples.py              writes deploy/examples/
    python3 tools/make_examples.py --check      writes nothing; exits 1 naming
                                                each file that differs
    python3 tools/make_examples.py --stats      also prints what the data will
                                                make socval say (to stderr)

The examples are an invented anchor network in Trafford: the council and
three partners (police, an NHS foundation trust, an integrated care
partner), each sending suppliers, contracts, social value commitments,
delivery returns and two years of "spend over £500". Every supplier, contract
and payment is INVENTED; the only real data read is the ONS postcode
directory for Trafford (shared/realdata), so that about 40% of suppliers
have real Trafford postcodes and therefore a ward.

The data is built for the day it was made, TODAY below: the alerts that the
compliance rules raise on it (contracts in Real Living Wage scope with no
commitment, lapsed accreditations, delivery shortfalls, overdue returns)
are chosen against that date, and --stats prints them by re-stating those
rules here.

Deterministic: one seeded random.Random drives everything, and nothing
depends on hash order, the clock or the file system, so a second run with
the same Python writes byte-identical files. Python 3 standard library
only.
"""

import argparse
import csv
import datetime as dt
import io
import math
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / 'deploy' / 'examples'
POSTCODES = ROOT.parent / 'shared' / 'realdata' / 'postcodes' / 'trafford_postcodes_onspd_2023-11.csv'
FRAMEWORK = ROOT / 'deploy' / 'frameworks' / 'illustrative-rationalised-2024.csv'

SEED = 20261125
TODAY = dt.date (2026, 11, 25)
TRAFFORD = 'E08000009'
#   Districts that lie (almost) wholly in Trafford. Valuation consults the
#   directory first; these only place postcodes the directory does not
#   hold, so that a Manchester or Leeds postcode is non-local, not unknown.
LOCAL_DISTRICTS = 'M17, M31-M33, M41, WA14, WA15'
YEARS = (2024, 2025)                    #   financial years 2024-25 and 2025-26
#   Delivery returns run to the last quarter that has ended before TODAY
LAST_RETURN_END = dt.date (2026, 9, 30)
#   How many in-scope, unaccredited, uncommitted live contracts to make
RLW_MISSING = 20

#   The compliance rules' defaults (common/sv_config.c), restated for --stats
RLW_CATEGORIES = ['cleaning', 'security', 'catering', 'care', 'facilities management',
                  'facilities', 'grounds maintenance', 'porterage', 'waste collection']
RLW_MIN_WEEKS = 8
SHORTFALL_TOLERANCE_PCT = 10
RETURN_PERIOD_MONTHS = 3
OVERDUE_GRACE_DAYS = 30


#   ==========================================================================
#   The network

class Partner:
    def __init__ (self, name, body, prefix, suppliers, contracts, commitments,
                  spend_rows, local_share, has_ids, framework = 'illustrative-rationalised'):
        self.name = name                #   the partner's name in socval's config
        self.body = body                #   how its files name it
        self.prefix = prefix            #   of its contract ids
        self.supplier_count = suppliers
        self.contract_count = contracts
        self.commitment_count = commitments
        self.spend_rows = spend_rows    #   per financial year
        self.local_share = local_share  #   target share of rows, per year
        self.has_ids = has_ids          #   its finance system's supplier numbers are in its files
        self.framework = framework      #   the framework its returns use


PARTNERS = [
    Partner ('council', 'Trafford Council', 'TMBC', 1150, 150, 60, 8000, (0.47, 0.52), False),
    Partner ('police', 'Greater Manchester Police', 'GMP', 470, 50, 18, 2500, (0.42, 0.51), True),
    Partner ('hospital', 'Trafford Valley Hospitals NHS Foundation Trust', 'TVH', 600, 60, 25,
             2500, (0.43, 0.48), False, 'illustrative-svm'),
    Partner ('health', 'Trafford Integrated Care Partnership', 'TICP', 420, 40, 17, 2500,
             (0.45, 0.51), True, 'illustrative-svm'),
]

#   The NHS partners report on the (illustrative) Social Value Model: their
#   suppliers' returns name its metrics, one for each TOMs measure the
#   network's bids are drawn from, in the same unit
SVM_METRIC = {
    'ILR-JOB-01': 'SVM-1A-01', 'ILR-JOB-02': 'SVM-1A-02', 'ILR-JOB-03': 'SVM-3A-01',
    'ILR-JOB-04': 'SVM-3A-02', 'ILR-JOB-05': 'SVM-3B-01', 'ILR-JOB-06': 'SVM-3B-02',
    'ILR-GRO-01': 'SVM-2A-01', 'ILR-GRO-02': 'SVM-2A-02', 'ILR-GRO-03': 'SVM-2B-01',
    'ILR-GRO-04': 'SVM-2B-02', 'ILR-SOC-01': 'SVM-5A-01', 'ILR-SOC-02': 'SVM-5A-02',
    'ILR-SOC-03': 'SVM-1C-01', 'ILR-SOC-04': 'SVM-6A-01', 'ILR-SOC-05': 'SVM-6B-01',
    'ILR-ENV-01': 'SVM-4A-01', 'ILR-ENV-02': 'SVM-4A-02', 'ILR-ENV-03': 'SVM-4B-01',
    'ILR-ENV-04': 'SVM-4C-01', 'ILR-INN-01': 'SVM-2C-01',
}


def measure_code (partner_index, measure):
    """The code partner's returns give measure (a TOMs measure) in its framework."""
    if PARTNERS [partner_index].framework == 'illustrative-svm':
        return SVM_METRIC [measure]
    return measure
PARTNER_INDEX = {p.name: i for i, p in enumerate (PARTNERS)}


#   ==========================================================================
#   Trades: what suppliers do, the contract categories and titles that go
#   with it, and how each partner's ledger names the spend

class Trade:
    def __init__ (self, key, categories, words, weights, annual, payment, measures, titles):
        self.key = key
        self.categories = categories    #   contract categories
        self.words = words              #   for company names
        self.weights = weights          #   how common among each partner's suppliers
        self.annual = annual            #   typical annual contract value, £
        self.payment = payment          #   typical payment, £
        self.measures = measures        #   TOMs measures its bids commit to
        self.titles = titles            #   contract title patterns


TRADES = [
    Trade ('cleaning', ['Cleaning'], ['Cleaning Services', 'Cleaning', 'Hygiene Services',
           'Commercial Cleaning'], (6, 4, 6, 3), 160000, 2500,
           ['ILR-JOB-01', 'ILR-JOB-02', 'ILR-JOB-03', 'ILR-SOC-03', 'ILR-SOC-01', 'ILR-GRO-01'],
           ['Cleaning of {site}', 'Window and deep cleaning, {site}', 'Cleaning services: {site}']),
    Trade ('security', ['Security'], ['Security Services', 'Security Solutions', 'Guarding',
           'Protection Services'], (3, 5, 4, 2), 130000, 2800,
           ['ILR-JOB-01', 'ILR-JOB-02', 'ILR-JOB-04', 'ILR-SOC-03', 'ILR-SOC-01'],
           ['Security guarding at {site}', 'Manned guarding and key holding, {site}',
            'Mobile security patrols: {site}']),
    Trade ('catering', ['Catering'], ['Catering', 'Catering Services', 'Fine Foods', 'Food Services',
           'Kitchens'], (4, 3, 5, 2), 210000, 1900,
           ['ILR-JOB-01', 'ILR-JOB-03', 'ILR-SOC-03', 'ILR-ENV-03', 'ILR-GRO-01', 'ILR-SOC-02'],
           ['Catering services for {site}', 'Staff restaurant and vending, {site}',
            'Provision of meals: {site}']),
    Trade ('care', ['Home Care', 'Residential Care', 'Supported Living', 'Domiciliary Care'],
           ['Care', 'Care Services', 'Homecare', 'Care Homes', 'Support Services', 'Healthcare'],
           (14, 1, 2, 9), 520000, 4200,
           ['ILR-JOB-01', 'ILR-JOB-02', 'ILR-JOB-03', 'ILR-JOB-04', 'ILR-SOC-03', 'ILR-SOC-05',
            'ILR-SOC-01'],
           ['{category}: {area}', '{category} framework lot {lot}, {area}',
            '{category} for adults with complex needs, {area}']),
    Trade ('fm', ['Facilities Management'], ['Facilities Management', 'FM Services',
           'Property Services', 'Estates Services'], (3, 3, 3, 1), 700000, 6500,
           ['ILR-JOB-01', 'ILR-JOB-02', 'ILR-JOB-03', 'ILR-SOC-03', 'ILR-ENV-01', 'ILR-GRO-01'],
           ['Total facilities management, {site}', 'Hard and soft FM services: {site}']),
    Trade ('grounds', ['Grounds Maintenance'], ['Landscapes', 'Grounds Maintenance', 'Tree Services',
           'Gardens', 'Horticulture'], (4, 1, 1, 0), 240000, 2600,
           ['ILR-JOB-01', 'ILR-JOB-03', 'ILR-ENV-04', 'ILR-ENV-03', 'ILR-SOC-01'],
           ['Grounds maintenance of {green}', 'Tree works and arboricultural services, {green}']),
    Trade ('it', ['IT Services'], ['Digital', 'Technology', 'IT Solutions', 'Systems', 'Software',
           'Data Services', 'Networks'], (5, 6, 5, 4), 180000, 4800,
           ['ILR-JOB-05', 'ILR-JOB-06', 'ILR-GRO-03', 'ILR-SOC-01', 'ILR-SOC-02', 'ILR-INN-01',
            'ILR-JOB-03'],
           ['{it} for {dept}', 'Support and licences: {it}', 'Replacement {it}']),
    Trade ('consult', ['Consultancy'], ['Consulting', 'Associates', 'Advisory', 'Partners',
           'Research'], (5, 3, 4, 4), 65000, 5200,
           ['ILR-JOB-05', 'ILR-JOB-06', 'ILR-GRO-03', 'ILR-GRO-04', 'ILR-SOC-01'],
           ['Review of {review}', '{review}: independent assessment', 'Advice on {review}']),
    Trade ('construction', ['Construction'], ['Construction', 'Builders', 'Contractors',
           'Building Services', 'Civil Engineering'], (8, 2, 3, 0), 1400000, 22000,
           ['ILR-JOB-01', 'ILR-JOB-02', 'ILR-JOB-03', 'ILR-JOB-05', 'ILR-JOB-06', 'ILR-GRO-01',
            'ILR-GRO-02', 'ILR-ENV-01', 'ILR-ENV-03', 'ILR-SOC-02'],
           ['{works}', '{works}: main contractor', 'Design and build: {works}']),
    Trade ('legal', ['Legal Services'], ['Solicitors', 'Law', 'Legal'], (3, 2, 2, 1), 45000, 3100,
           ['ILR-JOB-05', 'ILR-JOB-06', 'ILR-GRO-03', 'ILR-SOC-01', 'ILR-SOC-02'],
           ['External legal advice: {law}', 'Legal services panel, {law}']),
    Trade ('waste', ['Waste Collection'], ['Waste Management', 'Recycling', 'Environmental Services',
           'Skip Hire'], (2, 1, 2, 1), 650000, 5600,
           ['ILR-JOB-01', 'ILR-JOB-03', 'ILR-ENV-01', 'ILR-ENV-02', 'ILR-ENV-03', 'ILR-SOC-01'],
           ['Collection of {waste}', '{waste}: collection and disposal']),
    Trade ('printing', ['Printing'], ['Print', 'Printers', 'Print & Design', 'Print Solutions'],
           (2, 1, 1, 1), 30000, 1400,
           ['ILR-GRO-01', 'ILR-ENV-01', 'ILR-ENV-03', 'ILR-SOC-02', 'ILR-JOB-05'],
           ['Printing of {print}', 'Design and print: {print}']),
    Trade ('transport', ['Transport'], ['Travel', 'Coaches', 'Taxis', 'Transport', 'Minibus Hire'],
           (5, 1, 2, 2), 150000, 1700,
           ['ILR-JOB-01', 'ILR-JOB-03', 'ILR-ENV-01', 'ILR-ENV-02', 'ILR-SOC-01'],
           ['{transport}', '{transport}: lot {lot}']),
    Trade ('repairs', ['Building Maintenance'], ['Plumbing & Heating', 'Electrical', 'Roofing',
           'Maintenance', 'Joinery', 'Building Maintenance'], (7, 3, 3, 0), 190000, 2100,
           ['ILR-JOB-01', 'ILR-JOB-03', 'ILR-JOB-05', 'ILR-GRO-01', 'ILR-ENV-03', 'ILR-SOC-01'],
           ['Responsive repairs and maintenance, {site}', 'Planned maintenance: {site}',
            'Gas servicing and repairs, {site}']),
    Trade ('agency', ['Agency Staffing'], ['Recruitment', 'Staffing', 'Personnel', 'Locums',
           'Resourcing'], (4, 2, 6, 3), 280000, 3300,
           ['ILR-JOB-01', 'ILR-JOB-02', 'ILR-JOB-04', 'ILR-JOB-06'],
           ['Temporary agency staff: {staff}', 'Managed service for {staff}']),
    Trade ('training', ['Training'], ['Training', 'Learning', 'Academy', 'Skills'], (3, 4, 2, 2),
           40000, 1600,
           ['ILR-JOB-04', 'ILR-JOB-05', 'ILR-JOB-06', 'ILR-GRO-03', 'ILR-SOC-01'],
           ['{course} training', 'Delivery of {course} courses']),
    Trade ('medical', ['Medical Supplies'], ['Medical', 'Healthcare Products', 'Surgical',
           'Diagnostics', 'Life Sciences'], (0, 1, 12, 4), 260000, 3800,
           ['ILR-GRO-01', 'ILR-GRO-02', 'ILR-ENV-01', 'ILR-ENV-02', 'ILR-SOC-02', 'ILR-JOB-05'],
           ['Supply of {medical}', '{medical}: supply and maintenance']),
    Trade ('vehicles', ['Fleet and Vehicles'], ['Motors', 'Vehicle Services', 'Fleet Services',
           'Commercials'], (2, 6, 1, 0), 160000, 2300,
           ['ILR-JOB-03', 'ILR-ENV-01', 'ILR-ENV-02', 'ILR-SOC-01'],
           ['{vehicle}', '{vehicle}: supply and servicing']),
    Trade ('office', ['Office Supplies'], ['Office Supplies', 'Furniture', 'Stationers',
           'Office Solutions'], (3, 2, 2, 2), 40000, 900,
           ['ILR-GRO-01', 'ILR-GRO-02', 'ILR-ENV-03', 'ILR-SOC-02'],
           ['Supply of office furniture, {site}', 'Stationery and office supplies']),
    Trade ('community', ['Community Services'], [], (6, 1, 1, 7), 70000, 2900,
           ['ILR-SOC-04', 'ILR-SOC-05', 'ILR-SOC-01', 'ILR-JOB-02', 'ILR-JOB-05'],
           ['{community}', '{community} in {area}']),
    Trade ('laundry', ['Laundry'], ['Laundry', 'Linen Services', 'Textile Services'], (0, 1, 3, 0),
           150000, 3000,
           ['ILR-JOB-01', 'ILR-JOB-02', 'ILR-SOC-03', 'ILR-ENV-01'],
           ['Linen and laundry services, {site}', 'Uniform laundering: {site}']),
    Trade ('porterage', ['Porterage'], ['Logistics', 'Support Services', 'Portering'], (0, 0, 2, 0),
           300000, 5400,
           ['ILR-JOB-01', 'ILR-JOB-02', 'ILR-SOC-03', 'ILR-SOC-01'],
           ['Porterage and patient transfer services, {site}', 'Internal logistics: {site}']),
    Trade ('forensic', ['Forensic Services'], ['Forensics', 'Scientific', 'Analytical Services'],
           (0, 3, 0, 0), 220000, 4700,
           ['ILR-JOB-05', 'ILR-JOB-06', 'ILR-GRO-03', 'ILR-INN-01'],
           ['Forensic {forensic}', '{forensic} services']),
]
TRADE = {t.key: t for t in TRADES}

#   Words for titles, per partner where it matters
SITES = {
    'council': ['civic buildings', 'Sale Waterside', 'libraries and leisure centres', 'depots',
                'children\'s centres', 'the Town Hall', 'council offices', 'day centres',
                'residential homes', 'schools (lot 2)'],
    'police': ['Trafford district stations', 'custody suites', 'training centre',
               'headquarters and annexes', 'neighbourhood bases', 'vehicle workshops'],
    'hospital': ['main hospital site', 'outpatient centre', 'theatres and wards',
                 'community clinics', 'staff residences', 'diagnostic centre'],
    'health': ['health centres', 'partnership offices', 'community hubs', 'clinic premises'],
}
FILLS = {
    'area': ['North locality', 'Central locality', 'South locality', 'West locality',
             'borough-wide'],
    'green': ['parks and open spaces', 'highway verges', 'cemeteries', 'school grounds',
              'housing estates'],
    'it': ['Network infrastructure', 'Case management system', 'Cloud hosting',
           'End-user devices', 'Telephony and contact centre platform', 'Cyber monitoring service',
           'Finance system', 'Records management system'],
    'dept': ['corporate services', 'social care', 'finance', 'customer services', 'operations'],
    'review': ['service redesign', 'budget options', 'procurement strategy',
               'workforce planning', 'estates strategy', 'commissioning intentions'],
    'works': ['Refurbishment of leisure centre', 'New build primary school', 'Highways resurfacing',
              'Extension to day centre', 'Roof replacement programme', 'Car park resurfacing',
              'Flood alleviation works', 'Ward refurbishment', 'Custody suite refit'],
    'law': ['employment', 'property and planning', 'childcare proceedings', 'procurement',
            'litigation'],
    'waste': ['commercial waste', 'clinical waste', 'confidential waste', 'bulky household waste',
              'dry mixed recycling'],
    'print': ['council tax bills', 'elections material', 'leaflets and posters',
              'patient information', 'annual reports'],
    'transport': ['Home to school transport', 'Adult day care transport', 'Patient transport',
                  'Taxi framework', 'Coach hire'],
    'staff': ['social workers', 'nursing staff', 'medical locums', 'administrative staff',
              'care workers'],
    'course': ['Safeguarding', 'First aid', 'Leadership', 'Health and safety', 'Digital skills',
               'Manual handling'],
    'medical': ['wound care products', 'infusion pumps', 'theatre consumables',
                'community equipment', 'laboratory reagents', 'mobility aids'],
    'vehicle': ['Leased pool vehicles', 'Refuse collection vehicles', 'Response vehicle conversions',
                'Electric van fleet', 'Tyres'],
    'community': ['Befriending service', 'Carers support service', 'Youth outreach',
                  'Food support and community pantry', 'Welfare advice', 'Social prescribing link work',
                  'Domestic abuse support'],
    'forensic': ['toxicology', 'digital forensics', 'DNA analysis', 'fingerprint enhancement'],
}

#   How each partner's ledger describes spend with a trade: (area, type, code)
LEDGER = {
    'council': {
        'cleaning': [('Place', 'CLEANING CONTRACT', '')],
        'security': [('Place', 'SECURITY SERVICES', '')],
        'catering': [('Education', 'SCHOOL MEALS PROVISIONS', ''),
                     ('Adult Social Care', 'CATERING PROVISIONS', '')],
        'care': [('Adult Social Care', 'HOME CARE - INDEPENDENT SECTOR', ''),
                 ('Adult Social Care', 'RESIDENTIAL CARE PRIVATE SPOT', ''),
                 ('Adult Social Care', 'SUPPORTED LIVING', ''),
                 ('Children\'s Services', 'PRIVATE RESIDENTIAL HOMES', ''),
                 ('Children\'s Services', 'INDEPENDENT FOSTERING AGENCIES', '')],
        'fm': [('Finance and Systems', 'FACILITIES MANAGEMENT', '')],
        'grounds': [('Place', 'GROUNDS MAINTENANCE', ''), ('Place', 'TREE WORKS', '')],
        'it': [('Finance and Systems', 'SOFTWARE LICENCES', ''),
               ('Finance and Systems', 'IT SUPPORT & MAINTENANCE', ''),
               ('Finance and Systems', 'HARDWARE PURCHASE', '')],
        'consult': [('Strategy and Resources', 'CONSULTANCY FEES', '')],
        'construction': [('Place', 'CAPITAL WORKS - CONTRACTORS', ''),
                         ('Place', 'HIGHWAYS CAPITAL SCHEMES', '')],
        'legal': [('Legal and Governance', 'LEGAL FEES - EXTERNAL', ''),
                  ('Legal and Governance', 'COUNSEL FEES', '')],
        'waste': [('Place', 'WASTE DISPOSAL', ''), ('Place', 'RECYCLING COLLECTION', '')],
        'printing': [('Strategy and Resources', 'PRINTING & STATIONERY', '')],
        'transport': [('Children\'s Services', 'HOME TO SCHOOL TRANSPORT', ''),
                      ('Adult Social Care', 'TRANSPORT - HIRED', '')],
        'repairs': [('Place', 'BUILDING REPAIRS & MAINTENANCE', ''),
                    ('Place', 'RESPONSIVE REPAIRS', '')],
        'agency': [('Children\'s Services', 'AGENCY STAFF', ''),
                   ('Adult Social Care', 'AGENCY STAFF', '')],
        'training': [('Strategy and Resources', 'TRAINING - EXTERNAL', '')],
        'medical': [('Public Health', 'MEDICAL SUPPLIES', '')],
        'vehicles': [('Place', 'VEHICLE REPAIRS', ''), ('Place', 'VEHICLE LEASING', '')],
        'office': [('Finance and Systems', 'OFFICE EQUIPMENT', ''),
                   ('Finance and Systems', 'FURNITURE', '')],
        'community': [('Communities and Partnerships', 'GRANTS - VOLUNTARY ORGANISATIONS', ''),
                      ('Public Health', 'COMMISSIONED SERVICES - VCSE', '')],
        'laundry': [('Adult Social Care', 'LAUNDRY', '')],
        'porterage': [('Place', 'REMOVALS', '')],
        'forensic': [('Legal and Governance', 'PROFESSIONAL FEES', '')],
        'redacted': [('Children\'s Services', 'FOSTERING ALLOWANCES', ''),
                     ('Adult Social Care', 'DIRECT PAYMENTS', '')],
    },
    'police': {
        'cleaning': [('Estates and Facilities', 'Premises - Cleaning Contracts', '2310')],
        'security': [('Estates and Facilities', 'Premises - Security', '2320')],
        'catering': [('Estates and Facilities', 'Supplies - Catering', '4110')],
        'care': [('Custody Services', 'Third Party - Custody Healthcare', '6120')],
        'fm': [('Estates and Facilities', 'Premises - Facilities Management', '2300')],
        'grounds': [('Estates and Facilities', 'Premises - Grounds Maintenance', '2330')],
        'it': [('Information Services Branch', 'Supplies - Computer Software', '4510'),
               ('Information Services Branch', 'Supplies - IT Hardware', '4520'),
               ('Operational Communications', 'Supplies - Airwave and Radio', '4530')],
        'consult': [('Corporate Development', 'Supplies - Consultants Fees', '4610')],
        'construction': [('Estates and Facilities', 'Capital - Building Works', '9100')],
        'legal': [('Legal Services', 'Supplies - Legal Fees', '4620')],
        'waste': [('Estates and Facilities', 'Premises - Refuse Collection', '2340')],
        'printing': [('Corporate Communications', 'Supplies - Printing & Stationery', '4210')],
        'transport': [('Operational Support', 'Transport - Hired Transport', '3200')],
        'repairs': [('Estates and Facilities', 'Premises - Repairs & Maintenance', '2100')],
        'agency': [('People and Development', 'Employees - Agency Staff', '1400')],
        'training': [('People and Development', 'Employees - Training Courses', '1500')],
        'medical': [('Custody Services', 'Supplies - Medical Supplies', '4310')],
        'vehicles': [('Fleet Services', 'Transport - Vehicle Repairs', '3110'),
                     ('Fleet Services', 'Transport - Fuel', '3120'),
                     ('Fleet Services', 'Capital - Vehicles', '9300')],
        'office': [('Corporate Services', 'Supplies - Furniture & Equipment', '4010')],
        'community': [('Neighbourhood Policing', 'Third Party - Grants to Voluntary Bodies', '6200')],
        'laundry': [('Operational Support', 'Supplies - Clothing & Uniforms', '4050')],
        'porterage': [('Estates and Facilities', 'Premises - Removals', '2350')],
        'forensic': [('Forensic Services', 'Supplies - Forensic Services', '4630')],
        'redacted': [('Legal Services', 'Third Party - Compensation Payments', '6300')],
    },
    'hospital': {
        'cleaning': [('Estates & Facilities', 'Premises - Cleaning Services', '')],
        'security': [('Estates & Facilities', 'Premises - Security', '')],
        'catering': [('Estates & Facilities', 'Hotel Services - Catering', '')],
        'care': [('Medicine Division', 'Purchase of Healthcare from Non-NHS Bodies', '')],
        'fm': [('Estates & Facilities', 'Premises - Facilities Management', '')],
        'grounds': [('Estates & Facilities', 'Premises - Grounds & Gardens', '')],
        'it': [('IM&T', 'Establishment - IT Software & Licences', ''),
               ('IM&T', 'Establishment - IT Hardware', '')],
        'consult': [('Corporate Services', 'Consultancy Services', '')],
        'construction': [('Estates & Facilities', 'Capital - Building Works', '')],
        'legal': [('Corporate Services', 'Legal Fees', '')],
        'waste': [('Estates & Facilities', 'Premises - Clinical Waste Disposal', '')],
        'printing': [('Corporate Services', 'Establishment - Printing & Stationery', '')],
        'transport': [('Clinical Support Services', 'Patient Transport Services', '')],
        'repairs': [('Estates & Facilities', 'Premises - Repairs & Maintenance', '')],
        'agency': [('Workforce', 'Agency Staff - Nursing', ''),
                   ('Surgery Division', 'Agency Staff - Medical Locums', ''),
                   ('Medicine Division', 'Agency Staff - Medical Locums', '')],
        'training': [('Workforce', 'Education & Training', '')],
        'medical': [('Surgery Division', 'Clinical Supplies & Services', ''),
                    ('Medicine Division', 'Clinical Supplies & Services', ''),
                    ('Women\'s & Children\'s', 'Medical & Surgical Equipment', ''),
                    ('Clinical Support Services', 'Diagnostics - Laboratory Consumables', '')],
        'vehicles': [('Estates & Facilities', 'Transport - Vehicle Running Costs', '')],
        'office': [('Corporate Services', 'Establishment - Office Equipment', '')],
        'community': [('Medicine Division', 'Purchase of Healthcare from Non-NHS Bodies', ''),
                      ('Corporate Services', 'Charitable Grants', '')],
        'laundry': [('Estates & Facilities', 'Hotel Services - Laundry & Linen', '')],
        'porterage': [('Estates & Facilities', 'Hotel Services - Portering', '')],
        'forensic': [('Clinical Support Services', 'Diagnostics - External Testing', '')],
        'redacted': [('Corporate Services', 'Compensation Payments', '')],
    },
    'health': {
        'cleaning': [('Corporate', 'Premises - Cleaning', 'CC-COR01')],
        'security': [('Corporate', 'Premises - Security', 'CC-COR01')],
        'catering': [('Corporate', 'Hospitality & Catering', 'CC-COR01')],
        'care': [('Continuing Healthcare', 'CHC - Nursing Home Placements', 'CC-CHC01'),
                 ('Continuing Healthcare', 'CHC - Domiciliary Care', 'CC-CHC02'),
                 ('Mental Health', 'Supported Accommodation', 'CC-MH03')],
        'fm': [('Corporate', 'Premises - Facilities Management', 'CC-COR01')],
        'grounds': [('Corporate', 'Premises - Grounds', 'CC-COR01')],
        'it': [('Corporate', 'IT Services & Licences', 'CC-DIG01'),
               ('Primary Care', 'GP IT Equipment', 'CC-PC04')],
        'consult': [('Corporate', 'Consultancy', 'CC-COR02'),
                    ('Public Health', 'Commissioning Support', 'CC-PH01')],
        'construction': [('Primary Care', 'Premises Improvement Grants', 'CC-PC05')],
        'legal': [('Corporate', 'Legal Fees', 'CC-COR03')],
        'waste': [('Primary Care', 'Clinical Waste', 'CC-PC06')],
        'printing': [('Corporate', 'Printing & Stationery', 'CC-COR01')],
        'transport': [('Community Health Services', 'Patient Transport', 'CC-CHS02')],
        'repairs': [('Corporate', 'Premises - Repairs', 'CC-COR01')],
        'agency': [('Corporate', 'Agency & Contract Staff', 'CC-COR04'),
                   ('Community Health Services', 'Agency & Contract Staff', 'CC-CHS01')],
        'training': [('Corporate', 'Training & Education', 'CC-COR05')],
        'medical': [('Community Health Services', 'Community Equipment', 'CC-CHS03'),
                    ('Prescribing', 'Medicines Management', 'CC-PR01')],
        'vehicles': [('Corporate', 'Lease Cars', 'CC-COR01')],
        'office': [('Corporate', 'Office Equipment', 'CC-COR01')],
        'community': [('Voluntary Sector Grants', 'Grants to Voluntary Organisations', 'CC-VS01'),
                      ('Mental Health', 'Community Mental Health - VCSE', 'CC-MH02'),
                      ('Public Health', 'Social Prescribing', 'CC-PH02')],
        'laundry': [('Community Health Services', 'Laundry', 'CC-CHS01')],
        'porterage': [('Corporate', 'Removals & Storage', 'CC-COR01')],
        'forensic': [('Community Health Services', 'Diagnostics', 'CC-CHS04')],
        'redacted': [('Continuing Healthcare', 'Personal Health Budgets', 'CC-CHC03')],
    },
}


#   ==========================================================================
#   Names: invented from syllables and common words, checked unique

STEM_HEADS = ['Ash', 'Birch', 'Brack', 'Cal', 'Cran', 'Dun', 'Elm', 'Fern', 'Glen', 'Hal', 'Kel',
              'Lark', 'Mar', 'Nor', 'Oak', 'Pen', 'Rad', 'Sel', 'Thorn', 'Wil', 'Wyn', 'Hart',
              'Cress', 'Stan', 'Bel', 'Gar', 'Hol', 'Lin', 'Mor', 'Tal', 'Quen', 'Rother', 'Sum',
              'Tam', 'Vel', 'Wex', 'Yar', 'Brin', 'Cob', 'Fal']
STEM_TAILS = ['ridge', 'wood', 'field', 'vale', 'mere', 'stone', 'dale', 'wick', 'ton', 'combe',
              'hurst', 'more', 'well', 'bank', 'gate', 'leigh', 'worth', 'brook', 'cote', 'holme',
              'ley', 'shaw', 'by', 'den']
SOLO_STEMS = ['Apex', 'Beacon', 'Keystone', 'Meridian', 'Northpoint', 'Pinnacle', 'Crescent',
              'Harbour', 'Lantern', 'Compass', 'Summit', 'Evergreen', 'Kingfisher', 'Orchard',
              'Riverside', 'Sterling', 'Bluebell', 'Cobalt', 'Halcyon', 'Juniper', 'Mosaic',
              'Nimbus', 'Quartz', 'Saffron', 'Tandem', 'Vantage', 'Willow', 'Zenith', 'Amber',
              'Clearview', 'Ironbridge', 'Silverline', 'Redwood', 'Greenleaf', 'Brightwater',
              'Trueline', 'Oakleaf', 'Northstar', 'Highpoint', 'Castlegate']
SURNAMES = ['Patel', 'Okafor', 'Hughes', 'Kowalski', 'Brennan', 'Ahmed', 'Fletcher', 'Nwosu',
            'Walsh', 'Hussain', 'Doyle', 'Kaur', 'Barraclough', 'Mensah', 'Ashworth', 'Rahman',
            'Gallagher', 'Chen', 'Whitworth', 'Osei', 'Lomax', 'Iqbal', 'Kershaw', 'Novak',
            'Heywood', 'Begum', 'Duckworth', 'Adeyemi', 'Pilkington', 'Farrell', 'Mahmood',
            'Schofield', 'Quinn', 'Butterworth', 'Akhtar', 'Lees', 'Byrne', 'Haworth', 'Singh',
            'Greenhalgh']
INITIALS = 'ABCDEGHJKLMNPRSTW'
VCSE_FORMS = ['{stem} Community Trust', '{stem} Youth Project', '{stem} Carers Centre',
              'Friends of {stem} Park', '{stem} Community Pantry', '{stem} Advice Centre',
              '{stem} Wellbeing Collective CIC', '{stem} Befriending Network', '{stem} Foundation',
              '{stem} Sports and Social Club', '{stem} Arts CIC', '{stem} Women\'s Aid',
              '{stem} Men\'s Shed', '{stem} Tenants Association']
BENEFICIARY_GROUPS = ['young people NEET', 'long-term unemployed', 'care leavers',
                      'disabled people', 'veterans', 'ex-offenders', 'over 50s']
#   Groups seen on fewer than five returns, so their counts are suppressed
SMALL_GROUPS = [('refugees', 3), ('carers', 2), ('homeless people', 4)]


#   ==========================================================================
#   Small helpers

def fy_of (day):
    """The financial year (by its starting year) a date falls in."""
    return day.year if day.month >= 4 else day.year - 1


def fy_name (year):
    return '%d-%02d' % (year, (year + 1) % 100)


def fy_bounds (year):
    return dt.date (year, 4, 1), dt.date (year + 1, 3, 31)


def add_months (day, months):
    """day moved by months, the day of month clamped as sv_date does."""
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    last = (dt.date (year + month // 12, month % 12 + 1, 1) - dt.timedelta (days = 1)).day
    return dt.date (year, month, min (day.day, last))


def milli_text (milli):
    """Thousandths as the shortest decimal: 2500 -> '2.5', 52000 -> '52'."""
    sign = '-' if milli < 0 else ''
    milli = abs (milli)
    whole, frac = divmod (milli, 1000)
    if not frac:
        return '%s%d' % (sign, whole)
    return ('%s%d.%03d' % (sign, whole, frac)).rstrip ('0')


def pounds (pence):
    """Pence as plain pounds and pence: 123456 -> '1234.56'."""
    sign = '-' if pence < 0 else ''
    return '%s%d.%02d' % (sign, abs (pence) // 100, abs (pence) % 100)


def pounds_sterling (pence):
    """Pence as an NHS finance report writes them: '£1,234.56', '-£1,234.56'."""
    sign = '-' if pence < 0 else ''
    return '%s£%s.%02d' % (sign, '{:,}'.format (abs (pence) // 100), abs (pence) % 100)


def csv_text (rows, terminator = '\n'):
    buffer = io.StringIO ()
    writer = csv.writer (buffer, lineterminator = terminator)
    writer.writerows (rows)
    return buffer.getvalue ()


class Files:
    """What the run writes: path (relative to OUT) -> bytes, in order."""
    def __init__ (self):
        self.files = {}

    def add (self, path, data):
        assert path not in self.files
        self.files [path] = data


#   ==========================================================================
#   Reference data

def load_postcodes (path):
    """Trafford's postcodes as (postcode, ward name), in file order."""
    with open (path, newline = '', encoding = 'utf-8') as f:
        rows = [(r ['postcode'], r ['ward_name']) for r in csv.DictReader (f)
                if r ['la_code'] == TRAFFORD]
    if not rows:
        sys.exit ('make_examples: no Trafford postcodes in %s' % path)
    return rows


def load_measures (path):
    """The framework's measure codes and units."""
    units = {}
    with open (path, newline = '', encoding = 'utf-8') as f:
        for r in csv.DictReader (f):
            units [r ['measure']] = r ['unit']
    return units


#   Postcode districts outside Trafford, with weights: Greater Manchester
#   first, then the cities national suppliers are based in
OUTSIDE_DISTRICTS = [
    ('M1', 8), ('M2', 5), ('M3', 6), ('M4', 5), ('M8', 2), ('M9', 1), ('M11', 2), ('M12', 2),
    ('M13', 1), ('M14', 1), ('M19', 1), ('M20', 2), ('M22', 2), ('M40', 1), ('M5', 4), ('M6', 3),
    ('M7', 2), ('M27', 1), ('M28', 1), ('M30', 2), ('M50', 3), ('SK1', 3), ('SK2', 2),
    ('SK3', 2), ('SK4', 2), ('SK7', 1), ('SK8', 2), ('SK9', 1), ('BL1', 2), ('BL9', 1),
    ('OL1', 1), ('OL11', 1), ('WN1', 1), ('WA1', 2), ('WA2', 1), ('WA16', 1), ('CW1', 1),
    ('LS1', 3), ('LS11', 1), ('L1', 1), ('L3', 2), ('B1', 2), ('B3', 1), ('EC1A', 1),
    ('EC1V', 2), ('EC2A', 2), ('EC4M', 1), ('SE1', 2), ('WC2N', 1), ('W1T', 1), ('E14', 1),
    ('N1', 1), ('S1', 1), ('NE1', 1), ('BS1', 1), ('G2', 1), ('EH3', 1), ('CF10', 1),
    ('NG1', 1), ('RG1', 1), ('MK9', 1), ('CV1', 1), ('PR1', 1), ('CH1', 1), ('BD1', 1),
]
INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ'


#   ==========================================================================
#   Suppliers

class Supplier:
    pass


def make_name (rng, trade, kind, used):
    """An invented name for a supplier of trade, unique in used."""
    for _ in range (1000):
        if kind == 'vcse':
            stem = rng.choice (STEM_HEADS) + rng.choice (STEM_TAILS)
            name = rng.choice (VCSE_FORMS).format (stem = stem)
        elif kind == 'sole':
            name = '%s %s %s' % (rng.choice (INITIALS), rng.choice (SURNAMES),
                                 rng.choice (trade.words))
        elif kind == 'llp':
            a, b = rng.sample (SURNAMES, 2)
            name = '%s %s LLP' % (a, b) if rng.random () < 0.3 else '%s & %s LLP' % (a, b)
        elif kind == 'national':
            stem = rng.choice (SOLO_STEMS)
            name = '%s %s %s' % (stem, rng.choice (trade.words),
                                 rng.choice (['UK Ltd', 'Group plc', 'UK Limited', 'plc']))
        else:
            if rng.random () < 0.55:
                stem = rng.choice (STEM_HEADS) + rng.choice (STEM_TAILS)
            else:
                stem = rng.choice (SOLO_STEMS)
            name = '%s %s %s' % (stem, rng.choice (trade.words),
                                 rng.choice (['Ltd', 'Ltd', 'Limited', 'Ltd.']))
        if name.upper () not in used:
            used.add (name.upper ())
            return name
    raise RuntimeError ('ran out of names for %s' % trade.key)


def make_postcode (rng, trafford, trafford_set, locality):
    if locality == 'local':
        return rng.choice (trafford) [0]
    if locality == 'unknown':
        return ''
    districts = [d for d, w in OUTSIDE_DISTRICTS]
    weights = [w for d, w in OUTSIDE_DISTRICTS]
    while True:
        postcode = '%s %d%s%s' % (rng.choices (districts, weights) [0], rng.randrange (10),
                                  rng.choice (INWARD_LETTERS), rng.choice (INWARD_LETTERS))
        if postcode not in trafford_set:
            return postcode


def make_suppliers (rng, trafford, trafford_set):
    """The network's suppliers, each with the partners whose files list it."""
    suppliers = []
    used_names = set ()
    used_numbers = set ()
    partner_ids = [100000 + 17 * i for i in range (len (PARTNERS))]
    #   How many suppliers each partner lists alone; about a fifth of all
    #   suppliers are shared, which brings the per-partner lists to their sizes
    total = 2000
    for index in range (total):
        s = Supplier ()
        #   The partner that brought the supplier in, by the sizes of their lists
        home = rng.choices (range (len (PARTNERS)),
                            [p.supplier_count for p in PARTNERS]) [0]
        trade = rng.choices (TRADES, [t.weights [home] + 0.01 for t in TRADES]) [0]
        roll = rng.random ()
        if trade.key == 'community':
            kind = 'vcse'
        elif trade.key in ('legal', 'consult') and roll < 0.3:
            kind = 'llp'
        elif roll < 0.09 and trade.key not in ('medical', 'forensic'):
            kind = 'sole'
        elif roll < 0.22:
            kind = 'national'
        else:
            kind = 'company'
        s.trade = trade
        s.kind = kind
        s.name = make_name (rng, trade, kind, used_names)
        #   Companies House: companies and LLPs; about two thirds of VCSEs
        #   are charitable companies or CICs
        number = ''
        if kind in ('company', 'national') or (kind == 'vcse' and rng.random () < 0.65):
            while not number or number in used_numbers:
                if kind == 'national':
                    number = '%08d' % rng.randrange (100000, 6000000)
                elif kind == 'vcse' and 'CIC' in s.name:
                    number = '%08d' % rng.randrange (7000000, 15500000)
                elif rng.random () < 0.03:
                    number = 'SC%06d' % rng.randrange (100000, 800000)
                else:
                    number = '%08d' % rng.randrange (2000000, 15900000)
        elif kind == 'llp':
            while not number or number in used_numbers:
                number = 'OC%06d' % rng.randrange (300000, 450000)
        used_numbers.add (number)
        s.company = number
        s.vat = ('GB%09d' % rng.randrange (100000000, 999999999)
                 if kind in ('company', 'national', 'llp') and rng.random () < 0.7 else '')
        #   Locality: national firms are rarely local, VCSEs usually are
        local_p, unknown_p = {'national': (0.05, 0.08), 'vcse': (0.75, 0.12),
                              'sole': (0.55, 0.25)}.get (kind, (0.42, 0.15))
        roll = rng.random ()
        s.locality = 'local' if roll < local_p else 'unknown' if roll < local_p + unknown_p \
            else 'outside'
        s.postcode = make_postcode (rng, trafford, trafford_set, s.locality)
        s.vcse = kind == 'vcse' or (trade.key == 'care' and rng.random () < 0.1)
        s.sme = kind in ('sole', 'llp') or (kind == 'company' and rng.random () < 0.66) \
            or (kind == 'vcse')
        s.sme = s.sme and kind != 'national'
        s.employee_owned = kind == 'company' and rng.random () < 0.025
        #   Real Living Wage accreditation, a few of them lapsed
        s.rlw = rng.random () < (0.05 if kind == 'sole' else 0.16)
        s.rlw_expiry = ''
        if s.rlw:
            if rng.random () < 0.14:
                s.rlw_expiry = (dt.date (2025, 3, 1)
                                + dt.timedelta (days = rng.randrange (600))).isoformat ()
            else:
                s.rlw_expiry = (dt.date (2026, 12, 15)
                                + dt.timedelta (days = rng.randrange (720))).isoformat ()
        #   Which partners list it: national firms and VCSEs are shared more
        share_p = {'national': 0.55, 'vcse': 0.3}.get (kind, 0.14)
        partners = {home}
        if rng.random () < share_p:
            for other in range (len (PARTNERS)):
                if other != home and rng.random () < 0.45 + 0.1 * (other == 0):
                    partners.add (other)
            if len (partners) == 1:
                partners.add ((home + 1 + rng.randrange (len (PARTNERS) - 1)) % len (PARTNERS))
        s.partners = sorted (partners)
        s.ids = {}
        for p in s.partners:
            if PARTNERS [p].has_ids:
                partner_ids [p] += rng.randrange (1, 40)
                s.ids [p] = str (partner_ids [p]) if p == PARTNER_INDEX ['police'] \
                    else 'S%06d' % partner_ids [p]
        #   How much business it does (spend draws are weighted by this)
        s.size = rng.lognormvariate (0, 1.0) * (3 if kind == 'national' else 1)
        suppliers.append (s)
    return suppliers


def accredited_today (s):
    return s.rlw and (not s.rlw_expiry or s.rlw_expiry >= TODAY.isoformat ())


def supplier_rows (partner_index, suppliers):
    rows = [['Supplier Name', 'Supplier ID', 'Company Number', 'VAT Number', 'Postcode', 'SME',
             'VCSE', 'RLW Accredited', 'RLW Expiry', 'Employee Owned']]
    yes = lambda flag: 'yes' if flag else 'no'
    for s in suppliers:
        if partner_index in s.partners:
            rows.append ([s.name, s.ids.get (partner_index, ''), s.company, s.vat, s.postcode,
                          yes (s.sme), yes (s.vcse), yes (s.rlw), s.rlw_expiry,
                          yes (s.employee_owned)])
    return rows


#   ==========================================================================
#   Contracts

class Contract:
    pass


DURATIONS = [   #   (weeks or months, how many, weight)
    ('weeks', 4, 3), ('weeks', 6, 2), ('weeks', 10, 3), ('months', 3, 4), ('months', 6, 6),
    ('months', 12, 16), ('months', 18, 6), ('months', 24, 14), ('months', 36, 18),
    ('months', 48, 10), ('months', 60, 8),
]


def rlw_in_scope (contract):
    """compliance_rules_rlw_in_scope with the default criteria."""
    if contract.in_scope_flag in ('yes', 'no'):
        return contract.in_scope_flag == 'yes'
    words = ' ' + ''.join (c if c.isalnum () else ' ' for c in contract.category.lower ()) + ' '
    words = ' '.join (words.split ())
    eligible = any ((' ' + words + ' ').find (' ' + c + ' ') >= 0 for c in RLW_CATEGORIES)
    if not eligible:
        return False
    return (contract.end - contract.start).days + 1 >= RLW_MIN_WEEKS * 7


def make_contracts (rng, suppliers):
    contracts = []
    for pi, partner in enumerate (PARTNERS):
        listed = [s for s in suppliers if pi in s.partners and s.kind != 'sole'
                  and s.trade.key != 'office']
        weights = [s.size * (2 if s.trade.key in ('care', 'cleaning', 'security', 'catering',
                                                   'fm', 'grounds', 'waste', 'construction')
                             else 1) for s in listed]
        chosen = []
        taken = set ()
        while len (chosen) < partner.contract_count:
            s = rng.choices (listed, weights) [0]
            if s.name in taken and rng.random () < 0.85:
                continue
            taken.add (s.name)
            chosen.append (s)
        serial = {}
        drafts = []
        for s in chosen:
            c = Contract ()
            c.partner = pi
            c.supplier = s
            c.category = rng.choice (s.trade.categories)
            unit, count, _ = rng.choices (DURATIONS, [d [2] for d in DURATIONS]) [0]
            #   Start: most during 2024-25 and 2025-26, some earlier and still running
            roll = rng.random ()
            if roll < 0.18 and unit == 'months' and count >= 36:
                start = dt.date (2022, 4, 1) + dt.timedelta (days = rng.randrange (730))
            elif roll < 0.62:
                start = dt.date (2024, 4, 1) + dt.timedelta (days = rng.randrange (365))
            elif roll < 0.95:
                start = dt.date (2025, 4, 1) + dt.timedelta (days = rng.randrange (365))
            else:
                start = dt.date (2026, 4, 1) + dt.timedelta (days = rng.randrange (200))
            if unit == 'months' or rng.random () < 0.5:
                start = start.replace (day = 1)     #   most contracts start on the 1st
            if unit == 'weeks':
                end = start + dt.timedelta (weeks = count) - dt.timedelta (days = 1)
            else:
                end = add_months (start, count) - dt.timedelta (days = 1)
            c.start, c.end = start, end
            years = (end - start).days / 365.25
            annual = s.trade.annual * rng.lognormvariate (0, 0.55)
            value = annual * max (years, 0.08)
            step = 100 if value < 100000 else 1000
            c.value_pence = int (round (value / step)) * step * 100
            c.annual = c.value_pence / 100 / max (years, 0.08)
            fills = {k: rng.choice (v) for k, v in FILLS.items ()}
            fills ['site'] = rng.choice (SITES [partner.name])
            fills ['category'] = c.category
            fills ['lot'] = rng.randrange (1, 6)
            c.title = rng.choice (s.trade.titles).format (**fills)
            roll = rng.random ()
            c.in_scope_flag = '' if roll < 0.8 else 'yes' if roll < 0.9 else 'no'
            if c.in_scope_flag == 'yes' and c.category.lower () not in (
                    'cleaning', 'security', 'catering', 'facilities management', 'porterage',
                    'laundry', 'home care', 'residential care', 'supported living',
                    'domiciliary care', 'grounds maintenance', 'waste collection'):
                c.in_scope_flag = ''
            if rng.random () < 0.05:
                c.in_scope_flag = 'derive'
            drafts.append (c)
        #   Ids in order of start date, numbered within each start year
        drafts.sort (key = lambda c: (c.start, c.supplier.name))
        for c in drafts:
            serial [c.start.year] = serial.get (c.start.year, 0) + 1
            c.id = '%s-%d-%04d' % (partner.prefix, c.start.year, serial [c.start.year])
        contracts.extend (drafts)
    decide_rlw (rng, contracts)
    return contracts


def decide_rlw (rng, contracts):
    """Sets each contract's RLW commitment: most in-scope contracts have
    one; exactly RLW_MISSING live ones whose supplier's accreditation does
    not hold have none, so rlw.missing_commitment fires on them."""
    for c in contracts:
        c.in_scope = rlw_in_scope (c)
        c.commitment = ''
    candidates = [c for c in contracts if c.in_scope and c.end >= TODAY
                  and not accredited_today (c.supplier)]
    missing = set (id (c) for c in rng.sample (candidates, min (RLW_MISSING, len (candidates))))
    for c in contracts:
        if c.in_scope:
            if id (c) in missing:
                c.commitment = rng.choice (['no', ''])
            elif accredited_today (c.supplier) and rng.random () < 0.5:
                c.commitment = rng.choice (['no', ''])     #   accreditation covers it
            elif c.end < TODAY and rng.random () < 0.15:
                c.commitment = ''                          #   ended: no longer raised
            else:
                c.commitment = 'yes'
        elif rng.random () < 0.2:
            c.commitment = 'yes'
        else:
            c.commitment = rng.choice (['no', '', ''])


def contract_rows (partner_index, contracts):
    rows = [['Contract ID', 'Title', 'Supplier Name', 'Supplier ID', 'Company Number', 'Category',
             'Value', 'Start Date', 'End Date', 'RLW In Scope', 'RLW Commitment']]
    for c in contracts:
        if c.partner == partner_index:
            s = c.supplier
            rows.append ([c.id, c.title, s.name, s.ids.get (partner_index, ''), s.company,
                          c.category, pounds (c.value_pence), c.start.isoformat (),
                          c.end.isoformat (), c.in_scope_flag, c.commitment])
    return rows


#   ==========================================================================
#   Commitments and deliveries

#   Committed quantity for one year from the contract's annual value (£):
#   (divisor, lowest, highest, rounding step in thousandths)
QUANTITY_RULES = {
    'ILR-JOB-01': (120000, 0.5, 12, 500),       #   FTE
    'ILR-JOB-02': (400000, 0.2, 4, 100),        #   FTE
    'ILR-JOB-03': (3000, 26, 416, 1000),        #   apprenticeship weeks
    'ILR-JOB-04': (20000, 4, 120, 1000),        #   training weeks
    'ILR-JOB-05': (40000, 2, 40, 1000),         #   placement weeks
    'ILR-JOB-06': (5000, 10, 200, 5000),        #   hours
    'ILR-GRO-01': (5, 2000, 400000, 100000),    #   £ local supply chain spend
    'ILR-GRO-02': (9, 1000, 250000, 100000),    #   £ SME and VCSE spend
    'ILR-GRO-03': (8000, 10, 150, 1000),        #   hours
    'ILR-GRO-04': (150000, 2, 20, 1000),        #   businesses
    'ILR-SOC-01': (2000, 20, 600, 5000),        #   hours
    'ILR-SOC-02': (200, 250, 15000, 50000),     #   £ donated
    'ILR-SOC-03': (30000, 1, 60, 500),          #   FTE paid the RLW
    'ILR-SOC-04': (100, 500, 25000, 50000),     #   £ invested
    'ILR-SOC-05': (1000, 50, 1500, 10000),      #   hours
    'ILR-ENV-01': (20000, 1, 120, 100),         #   tonnes CO2e
    'ILR-ENV-02': (20, 500, 60000, 100000),     #   miles
    'ILR-ENV-03': (5000, 2, 400, 100),          #   tonnes
    'ILR-ENV-04': (300, 250, 10000, 50000),     #   £ invested
    'ILR-INN-01': (200, 500, 20000, 50000),     #   £ invested
}
#   Delivered quantities are rounded to this step (thousandths) per return
DELIVERY_STEP = {'FTE': 10, 'weeks': 1000, 'hours': 1000, 'businesses': 1000, 'miles': 1000,
                 'tonnes CO2e': 100, 'tonnes': 100, '£ spent': 1000, '£ donated': 1000,
                 '£ invested': 1000}
GROUP_MEASURES = ('ILR-JOB-02', 'ILR-JOB-03', 'ILR-JOB-05', 'ILR-SOC-05', 'ILR-JOB-01')


def annual_quantity (rng, measure, annual):
    divisor, low, high, step = QUANTITY_RULES [measure]
    raw = annual / divisor * rng.uniform (0.7, 1.3)
    raw = min (max (raw, low), high)
    milli = int (round (raw * 1000 / step)) * step
    return max (milli, step)


def fy_fraction (c, year):
    """How much of financial year year the contract covers, 0-1."""
    first, last = fy_bounds (year)
    lo, hi = max (first, c.start), min (last, c.end)
    if hi < lo:
        return 0.0
    return ((hi - lo).days + 1) / ((last - first).days + 1)


def quarters (c, until):
    """The financial quarters a contract's returns cover, clipped to it."""
    out = []
    first = dt.date (2024, 4, 1)
    while first <= until:
        last = add_months (first, 3) - dt.timedelta (days = 1)
        lo, hi = max (first, c.start), min (last, c.end, until)
        if lo <= hi:
            out.append ((lo, hi, (hi - lo).days + 1, (last - first).days + 1))
        first = add_months (first, 3)
    return out


def make_social_value (rng, contracts, trafford, units):
    """Commitments and delivery returns: (commitments, deliveries, plans)."""
    commitments, deliveries = [], []
    chosen_all = []
    for pi, partner in enumerate (PARTNERS):
        eligible = [c for c in contracts if c.partner == pi and c.start.day == 1
                    and (c.end - c.start).days >= 180
                    and (fy_fraction (c, 2024) > 0 or fy_fraction (c, 2025) > 0)
                    and c.start <= dt.date (2026, 3, 1)]
        weights = [math.sqrt (c.value_pence) for c in eligible]
        chosen = []
        while len (chosen) < min (partner.commitment_count, len (eligible)):
            c = rng.choices (eligible, weights) [0]
            if c not in chosen:
                chosen.append (c)
        chosen.sort (key = lambda c: c.id)
        chosen_all.extend (chosen)
    #   Which contracts under-deliver and which stop sending returns: live
    #   ones, whose commitments cover most of the time they have run
    live = [c for c in chosen_all if c.end >= TODAY and c.start <= dt.date (2024, 10, 1)
            and c.end >= dt.date (2027, 3, 1)]
    short = set (id (c) for c in rng.sample (live, min (9, len (live))))
    rest = [c for c in chosen_all if c.end >= TODAY and id (c) not in short
            and c.start <= dt.date (2025, 10, 1)]
    silent = {id (c): rng.choice ([dt.date (2026, 3, 31), dt.date (2026, 6, 30)])
              for c in rng.sample (rest, min (5, len (rest)))}
    wards = [w for _, w in trafford]
    plans = []
    for c in chosen_all:
        measures = rng.sample (c.supplier.trade.measures,
                               min (len (c.supplier.trade.measures), rng.randint (3, 6)))
        measures.sort ()
        factor = rng.uniform (0.25, 0.45) if id (c) in short else rng.uniform (0.97, 1.2)
        until = min (LAST_RETURN_END, silent.get (id (c), LAST_RETURN_END))
        plan = {'contract': c, 'short': id (c) in short, 'silent': silent.get (id (c)),
                'measures': {}}
        for m in measures:
            annual = annual_quantity (rng, m, c.annual)
            committed = {}
            for year in YEARS:
                fraction = fy_fraction (c, year)
                if fraction > 0:
                    step = QUANTITY_RULES [m] [3]
                    q = max (step, int (round (annual * max (fraction, 0.25) / step)) * step)
                    committed [year] = q
                    commitments.append ([c, m, fy_name (year), q])
            group = ''
            if m in GROUP_MEASURES and rng.random () < 0.55:
                group = rng.choice (BENEFICIARY_GROUPS)
            placing = rng.random ()
            ward = rng.choice (wards)
            step = DELIVERY_STEP.get (units [m], 1)
            delivered = 0
            for lo, hi, days, span in quarters (c, until):
                q = annual / 4 * factor * days / span * rng.uniform (0.8, 1.2)
                q = int (round (q / step)) * step
                if q <= 0:
                    continue
                age = (TODAY - hi).days
                evidence = ('validated' if age > 300 and rng.random () < 0.8 else
                            'evidenced' if age > 120 and rng.random () < 0.7 else
                            'claimed')
                row_ward, row_postcode = '', ''
                if placing < 0.6:
                    row_ward = ward if rng.random () < 0.8 else rng.choice (wards)
                elif placing < 0.85:
                    row_postcode = rng.choice (trafford) [0]
                deliveries.append ([c, m, lo, hi, q, evidence, row_ward, row_postcode, group])
                delivered += q
            plan ['measures'] [m] = (sum (committed.values ()), delivered)
        plans.append (plan)
    #   A few groups with fewer than five returns in the whole network, all
    #   on the council's returns, so that breakdowns suppress them
    council_rows = [d for d in deliveries if d [0].partner == 0 and d [1] in GROUP_MEASURES
                    and not d [8]]
    picks = rng.sample (council_rows, sum (n for _, n in SMALL_GROUPS))
    at = 0
    for group, n in SMALL_GROUPS:
        for d in picks [at:at + n]:
            d [8] = group
        at += n
    return commitments, deliveries, plans


#   The council's Procurement Act KPIs (kpis.csv): three for each of its
#   contracts worth KPI_VALUE_PENCE or more that run in a year with
#   commitments. Drawn from a random.Random of their own, after everything
#   else, so the other files stay as they were.
KPI_VALUE_PENCE = 500000 * 100
KPI_SEED = SEED + 18


def make_kpis (contracts, commitments, plans):
    """KPI rows [contract, kpi id, name, year, target, unit, actual, direction,
    measure] for the council: on-time delivery (a rate, with its actual),
    complaints upheld (lower is better, with its actual), and, for a
    contract with social value commitments, its first committed measure as
    a KPI whose actual comes from the delivery returns (else invoices right
    first time, a rate). A contract that
    under-delivers (plan 'short') shows it on the third KPI and in its
    on-time rate."""
    rng = random.Random (KPI_SEED)
    planned = {id (plan ['contract']): plan for plan in plans}
    committed = {(id (c), m, year): q for c, m, year, q in commitments}
    rows = []
    for c in sorted ((c for c in contracts if c.partner == 0
                      and c.value_pence >= KPI_VALUE_PENCE), key = lambda c: c.id):
        plan = planned.get (id (c))
        short = plan is not None and plan ['short']
        for year in YEARS:
            if fy_fraction (c, year) <= 0:
                continue
            name = fy_name (year)
            on_time = rng.randint (960, 995) if not short else rng.randint (780, 880)
            rows.append ([c, '%s-K1' % c.id, 'Service delivered on time', name, '95', '%',
                          milli_text (on_time * 100), '', ''])
            complaints = rng.randint (0, 14)
            rows.append ([c, '%s-K2' % c.id, 'Complaints upheld', name, '10', 'complaints',
                          str (complaints), 'lower', ''])
            measures = sorted (m for m in (plan ['measures'] if plan else {})
                               if (id (c), m, name) in committed)
            if measures:
                m = measures [0]
                rows.append ([c, '%s-K3' % c.id, 'Social value: %s' % m, name,
                              milli_text (committed [(id (c), m, name)]), '', '', '', m])
            else:
                rows.append ([c, '%s-K3' % c.id, 'Invoices right first time', name, '98',
                              '%', milli_text (rng.randint (940, 1000) * 100), '', ''])
    return rows


def kpi_rows (kpis):
    rows = [['Contract ID', 'KPI ID', 'KPI Name', 'Financial Year', 'Target', 'Unit', 'Actual',
             'Direction', 'Measure']]
    for c, *rest in kpis:
        rows.append ([c.id] + rest)
    return rows


def commitment_rows (partner_index, commitments):
    rows = [['Contract ID', 'Measure', 'Year', 'Quantity']]
    for c, m, year, q in commitments:
        if c.partner == partner_index:
            rows.append ([c.id, measure_code (partner_index, m), year, milli_text (q)])
    return rows


def delivery_rows (partner_index, deliveries):
    rows = [['Contract ID', 'Measure', 'Period Start', 'Period End', 'Quantity', 'Evidence',
             'Ward', 'Postcode', 'Beneficiary Group']]
    selected = [d for d in deliveries if d [0].partner == partner_index]
    selected.sort (key = lambda d: (d [2], d [0].id, d [1]))
    for c, m, lo, hi, q, evidence, ward, postcode, group in selected:
        rows.append ([c.id, measure_code (partner_index, m), lo.isoformat (), hi.isoformat (),
                      milli_text (q), evidence, ward, postcode, group])
    return rows


#   ==========================================================================
#   Spend

def payment_days (rng, year, count):
    """count payment dates in financial year year: weekdays, more in March."""
    first, last = fy_bounds (year)
    days = [first + dt.timedelta (days = n) for n in range ((last - first).days + 1)]
    days = [d for d in days if d.weekday () < 5]
    weights = [1.6 if d.month == 3 else 1.0 for d in days]
    return sorted (rng.choices (days, weights, k = count))


def amount_pence (rng, trade, contracted, year):
    """A payment, mostly over £500, heavy-tailed; about 1% credit notes.
    Prices rise about 4% a year."""
    median = trade.payment * (1.8 if contracted else 1.0) * 1.04 ** (year - YEARS [0])
    while True:
        pounds_ = median * rng.lognormvariate (0, 1.05)
        if pounds_ >= 500 or rng.random () < 0.12:
            break
    pounds_ = min (pounds_, 1500000)
    pence = max (int (round (pounds_ * 100)), 5000)
    if rng.random () < 0.01:
        pence = -max (int (pence * rng.uniform (0.05, 0.6)), 5000)
    return pence


def make_spend (rng, partner_index, year, suppliers, contracted):
    """One partner's payments in one financial year: a list of dicts."""
    partner = PARTNERS [partner_index]
    listed = [s for s in suppliers if partner_index in s.partners]
    pools = {}
    for locality in ('local', 'outside', 'unknown'):
        pool = [s for s in listed if s.locality == locality]
        pools [locality] = (pool, [s.size * (5 if (partner_index, s.name) in contracted else 1)
                                   for s in pool])
    local_share = partner.local_share [year - YEARS [0]]
    unknown_share = 0.11
    localities = ['local', 'outside', 'unknown']
    shares = [local_share, 1 - local_share - unknown_share, unknown_share]
    #   Transactions of one to three lines
    rows = []
    count = partner.spend_rows
    dates = payment_days (rng, year, count)
    at = 0
    while at < count:
        day = dates [at]
        if rng.random () < 0.004:
            supplier = None                             #   an individual: redacted
            trade_key = 'redacted'
        else:
            locality = rng.choices (localities, shares) [0]
            pool, weights = pools [locality]
            supplier = rng.choices (pool, weights) [0]
            trade_key = supplier.trade.key
        lines = 1 if rng.random () < 0.9 else rng.choice ([2, 2, 3])
        for _ in range (min (lines, count - at)):
            area, kind, code = rng.choice (LEDGER [partner.name] [trade_key])
            if supplier:
                contracted_ = (partner_index, supplier.name) in contracted
                pence = amount_pence (rng, supplier.trade, contracted_, year)
            else:
                pence = amount_pence (rng, TRADE ['care'], False, year)
            rows.append ({'date': day, 'supplier': supplier, 'area': area, 'type': kind,
                          'code': code, 'pence': pence, 'line': _})
            at += 1
    return rows


def number_transactions (rng, rows, first):
    """Gives each transaction (a run of rows with line 0, 1, ...) its number."""
    number = first
    for r in rows:
        if r ['line'] == 0:
            number += rng.randrange (1, 4)
        r ['number'] = number
    return number


def redacted_name (partner):
    return {'council': 'REDACTED PERSONAL DATA', 'police': 'Redacted - personal information',
            'hospital': 'REDACTED', 'health': 'Redacted - personal data'} [partner]


def spend_file (partner_index, year, rows):
    """The bytes of one partner's spend file for one year, in its own style."""
    partner = PARTNERS [partner_index]
    name = partner.name
    s_name = lambda r: r ['supplier'].name if r ['supplier'] else redacted_name (name)
    s_company = lambda r: r ['supplier'].company if r ['supplier'] else ''
    s_postcode = lambda r: r ['supplier'].postcode if r ['supplier'] else ''
    s_id = lambda r: r ['supplier'].ids.get (partner_index, '') if r ['supplier'] else ''
    if name == 'council':
        #   Lambeth's payments file (2012-06), with the columns socval links on
        out = [['Body', 'Department', 'Supplier Name', 'Company Number', 'Invoice Creation Date',
                'Transaction Number', 'Invoice Nett Amount', 'Subj Description']]
        for r in rows:
            out.append ([partner.body, r ['area'], s_name (r), s_company (r),
                         r ['date'].strftime ('%d/%m/%Y'), r ['number'], pounds (r ['pence']),
                         r ['type']])
        return csv_text (out).encode ('utf-8')
    if name == 'police':
        #   An ODI Leeds "clean" file (Bradford 2017-12): ISO dates, plain amounts
        out = [['Service Code', 'Service Label', 'Expenditure code', 'Expenditure category',
                'Payment date', 'Transaction Number', 'Net Amount', 'Supplier Number',
                'Supplier Name', 'Company Number', 'Supplier Postcode']]
        for r in rows:
            service = 'GMP%03d' % (sum (map (ord, r ['area'])) % 900 + 100)
            out.append ([service, r ['area'], r ['code'], r ['type'], r ['date'].isoformat (),
                         r ['number'], pounds (r ['pence']), s_id (r), s_name (r),
                         s_company (r), s_postcode (r)])
        return csv_text (out).encode ('utf-8')
    if name == 'hospital':
        #   An NHS trust's finance report: a title line, then the Department
        #   of Health template's columns, dd-Mon-yy dates and £1,234.56
        first, last = fy_bounds (year)
        title = ['%s - Expenditure over £500 - %s to %s' % (
            partner.body, first.strftime ('%B %Y'), last.strftime ('%B %Y'))]
        out = [title, [],
               ['Departmental Family', 'Entity', 'Date', 'Expense Type', 'Expense Area', 'Supplier',
                'Transaction Number', 'Amount', 'Company Registration Number']]
        for r in rows:
            out.append (['Department of Health and Social Care', partner.body,
                         r ['date'].strftime ('%d-%b-%y'), r ['type'], r ['area'], s_name (r),
                         'TVH%07d' % r ['number'], pounds_sterling (r ['pence']), s_company (r)])
        return csv_text (out, '\r\n').encode ('utf-8')
    #   health: exported from a Windows ledger: cp1252 (the £ in the header
    #   and narratives is byte A3), no BOM, header cells padded with a space
    header = ['Payment Date', 'Transaction Ref', 'Supplier Ref', 'Supplier Name', 'Company Reg No',
              'Post Code', 'Cost Centre', 'Expense Area', 'Expense Type', 'Net Amount £',
              'Narrative']
    out = [[h + ' ' for h in header]]
    for r in rows:
        narrative = ''
        if r ['type'].startswith ('Grants') and r ['pence'] > 0:
            narrative = 'Grant instalment (£%dk award)' % max (1, r ['pence'] * 4 // 100000)
        elif r ['supplier']:
            narrative = 'Inv %d' % (r ['number'] * 7 % 900000 + 100000)
        out.append ([r ['date'].strftime ('%d/%m/%Y'), 'ICP-%s-%06d' % (
            fy_name (year), r ['number']), s_id (r), s_name (r), s_company (r), s_postcode (r),
            r ['code'], r ['area'], r ['type'], pounds (r ['pence']), narrative])
    return csv_text (out, '\r\n').encode ('cp1252')


#   ==========================================================================
#   Config fragment, manifest, README

def config_fragment ():
    lines = [
        '#   The partners of the example network (deploy/examples), GENERATED by',
        '#   tools/make_examples.py. socval up adds each partner\'s public_key.',
        'partners',
    ]
    for p in PARTNERS:
        lines += [
            '    %s' % p.name,
            '        display_name = "%s"' % p.body,
            '        framework = "%s"' % p.framework,
            '        local_authorities = "%s"' % TRAFFORD,
            '        local_districts = "%s"' % LOCAL_DISTRICTS,
        ]
    return ('\n'.join (lines) + '\n').encode ('utf-8')


README = '''\
# Example feeds: an invented anchor network in Trafford

**Everything here is GENERATED and INVENTED.** It was written by

```
python3 tools/make_examples.py
```

(Python 3 standard library, seeded: running it again writes byte-identical
files; `--check` says whether these files are what it writes, `--stats`
prints what socval should make of them.) Supplier names, company numbers,
VAT numbers, contracts, commitments, delivery returns and payments are made
up; any likeness to a real firm is chance. Trafford Council and Greater
Manchester Police are named because the network is set in Trafford; the
hospital trust and the integrated care partner are invented, and none of
these bodies produced or approved this data. The only real data used is the
ONS postcode directory for Trafford
(`shared/realdata/postcodes/trafford_postcodes_onspd_2023-11.csv`, OGL v3),
from which local suppliers take real postcodes (and so a ward), and the
wards named on delivery returns.

The council's and the police's returns use the measure codes of the
ILLUSTRATIVE TOMs-shaped framework
`deploy/frameworks/illustrative-rationalised-2024.csv`, whose proxy values
are invented too. The hospital trust and the health partner report on the
ILLUSTRATIVE Social-Value-Model-shaped framework
`deploy/frameworks/illustrative-svm-2025.csv`: metrics with units and no £
proxies, so their social value is counted in quantities only; the
partnership report sets all four side by side by common outcome through
`deploy/frameworks/crosswalk-illustrative.csv`.

## The network

| partner | body | contract ids | suppliers | contracts | spend rows a year |
|---|---|---|---|---|---|
$partner_table

Local means a supplier postcode in Trafford (ONS authority `E08000009`):
$local_pct of suppliers have a real Trafford postcode, $outside_pct a
real-looking one elsewhere (Manchester, Salford, Stockport, Leeds,
London ...), and $blank_pct none (unknown locality). $distinct distinct
suppliers in all; $shared of them appear in more than one partner's file
(a company with the same Companies House number in each).

## Files

`MANIFEST` lists every file in the order `socval up` submits them, one per
line as `partner kind path` (path relative to this folder): all suppliers,
then contracts, commitments, delivery returns, the council's KPIs and spend.
`socval.cfg.fragment` is the `partners` section for these four partners
(local authority E08000009, the framework each partner reports on, and the
postcode districts wholly in Trafford, so that a postcode the directory does
not hold is placed by its district) without `public_key` lines, which
`socval up` adds.

| file | rows |
|---|---|
$file_table

Each partner's spend is written the way a different real finance system
writes it:

- `council`: the columns of Lambeth's payments file (`Body, Department,
  Supplier Name, Invoice Creation Date, Invoice Nett Amount, Subj
  Description`, dd/mm/yyyy), with a Company Number and a Transaction Number.
- `police`: an ODI Leeds "clean" file (Bradford's columns: service,
  expenditure code and category, ISO dates, plain amounts), with the
  supplier's number, Company Number and postcode.
- `hospital`: an NHS trust finance report: a title line and a blank line
  above the Department of Health template's header, dates like `05-Apr-24`,
  amounts like `"£1,234.56"` and `"-£1,234.56"`, CR LF.
- `health`: a Windows ledger export in cp1252 (the `£` of `Net Amount £` and
  of some narratives is byte A3), no byte order mark, header cells followed
  by a space, CR LF.

Every file has a few credit notes (negative amounts) and a few payments to
individuals whose name is redacted. The suppliers, contracts, commitments
and delivery files use the canonical headers of README.md "Feed formats".

## What socval should make of it

Read on $today (the day the data was generated for; the alerts move with
the date):

- Local spend: $local_spend
- `rlw.missing_commitment`: $missing contracts in Real Living Wage scope
  (flagged, or by category and duration) whose supplier neither committed
  on the contract nor holds a current accreditation: $missing_ids.
- `rlw.accreditation_lapsed`: $lapsed suppliers recorded as accredited
  with an expiry before $today: $lapsed_records alerts, one for each partner
  holding a contract with the supplier (else for each partner whose files
  name it).
- Suppliers' SME, VCSE and locality reach their payments: every payment not
  redacted carries the Companies House number (or, for police and health,
  the supplier number) its supplier record is keyed by.
- `delivery.shortfall`: $shortfall contract measures delivering below 90% of
  their commitment pro rata, on $short_contracts contracts: $short_ids
  (counting every commitment year of the measure against every return, in
  any evidence state, pro rata of the time the contract has run). The other
  contracts deliver 97-120% of their annual commitment each quarter.
- `delivery.overdue`: $overdue contracts with no return for a quarter that
  ended more than 30 days ago: $overdue_ids.
- `socval report kpi`: the council's contracts worth £500,000 or more have
  three Procurement Act KPIs in `council/kpis.csv` for each year they run in
  (service delivered on time, a rate with its actual; complaints upheld,
  lower is better; and a social value measure they committed to, its actual
  read from the returns, else invoices right first time), $kpi_contracts
  contracts and $kpi_rows KPI rows;
  every contract with commitments also gets a KPI per committed measure.
  The under-delivering contracts above rate Requires improvement or
  Inadequate on their social value KPIs.
- Commitments are for 2024-25 and 2025-26 on $committed contracts, 3 to 6
  measures each; returns run by financial quarter from April 2024 to
  September 2026, with evidence claimed, evidenced or validated (older ones
  more often validated), a Trafford ward or postcode on most, and a
  beneficiary group on some; $small_groups have fewer than five returns, so
  breakdowns by group suppress them.
'''


#   ==========================================================================
#   What the data makes the compliance rules say (for --stats and README)

def predict (contracts, suppliers, plans, deliveries):
    out = {}
    missing = sorted (c.id for c in contracts if c.in_scope and c.commitment != 'yes'
                      and not accredited_today (c.supplier) and c.end >= TODAY)
    out ['missing'] = missing
    #   compliance raises a lapse once for each partner holding a contract
    #   with the supplier, else for each partner whose records name it
    lapsed = set ()
    for s in suppliers:
        if s.rlw and s.rlw_expiry and s.rlw_expiry < TODAY.isoformat ():
            holders = sorted (set (c.partner for c in contracts if c.supplier is s))
            for p in holders or s.partners:
                lapsed.add ((p, s.name))
    out ['lapsed'] = len (lapsed)
    out ['lapsed_suppliers'] = len ([s for s in suppliers if s.rlw and s.rlw_expiry
                                     and s.rlw_expiry < TODAY.isoformat ()])
    shortfall = []
    for plan in plans:
        c = plan ['contract']
        if not (c.start <= TODAY <= c.end):
            continue
        elapsed_num = (TODAY - c.start).days
        elapsed_den = (c.end - c.start).days
        for m, (committed, delivered) in plan ['measures'].items ():
            expected = committed * elapsed_num * (100 - SHORTFALL_TOLERANCE_PCT) \
                // (elapsed_den * 100)
            if committed > 0 and delivered < expected:
                shortfall.append ((c.id, m))
    out ['shortfall'] = shortfall
    latest = {}
    for d in deliveries:
        latest [id (d [0])] = max (latest.get (id (d [0]), dt.date.min), d [3])
    overdue = []
    for plan in plans:
        c = plan ['contract']
        due_end = None
        k = 0
        while True:
            end = min (add_months (c.start, RETURN_PERIOD_MONTHS * (k + 1)) - dt.timedelta (days = 1),
                       c.end)
            if (TODAY - end).days <= OVERDUE_GRACE_DAYS:
                break
            due_end = end
            if end >= c.end:
                break
            k += 1
        if due_end and latest.get (id (c), dt.date.min) < due_end:
            overdue.append (c.id)
    out ['overdue'] = sorted (overdue)
    return out


#   ==========================================================================
#   Main

def build (trafford_path):
    rng = random.Random (SEED)
    trafford = load_postcodes (trafford_path)
    trafford_set = set (p for p, _ in trafford)
    units = load_measures (FRAMEWORK)
    for trade in TRADES:
        for m in trade.measures:
            assert m in units, m
    suppliers = make_suppliers (rng, trafford, trafford_set)
    contracts = make_contracts (rng, suppliers)
    commitments, deliveries, plans = make_social_value (rng, contracts, trafford, units)
    contracted = set ((c.partner, c.supplier.name) for c in contracts)

    files = Files ()
    manifest = []
    counts = {}
    kinds = [('suppliers', lambda pi: supplier_rows (pi, suppliers)),
             ('contracts', lambda pi: contract_rows (pi, contracts)),
             ('commitments', lambda pi: commitment_rows (pi, commitments)),
             ('deliveries', lambda pi: delivery_rows (pi, deliveries))]
    for kind, rows_of in kinds:
        for pi, p in enumerate (PARTNERS):
            rows = rows_of (pi)
            path = '%s/%s.csv' % (p.name, kind)
            files.add (path, csv_text (rows).encode ('utf-8'))
            manifest.append ('%s %s %s' % (p.name, kind, path))
            counts [path] = len (rows) - 1
    #   After the deliveries, so that a KPI on a measure finds its returns
    rows = kpi_rows (make_kpis (contracts, commitments, plans))
    files.add ('council/kpis.csv', csv_text (rows).encode ('utf-8'))
    manifest.append ('council kpis council/kpis.csv')
    counts ['council/kpis.csv'] = len (rows) - 1
    local_lines = []
    trafford_postcodes = trafford_set
    for pi, p in enumerate (PARTNERS):
        #   Transaction numbers run on across the years, except health's,
        #   which restart each year behind the year in the reference
        number = {'council': 4100000, 'police': 5100000000, 'hospital': 2400000,
                  'health': 0} [p.name]
        shares = []
        for year in YEARS:
            rows = make_spend (rng, pi, year, suppliers, contracted)
            if p.name == 'health':
                number = 0
            number = number_transactions (rng, rows, number)
            path = '%s/spend-%s.csv' % (p.name, fy_name (year))
            files.add (path, spend_file (pi, year, rows))
            manifest.append ('%s spend %s' % (p.name, path))
            counts [path] = len (rows)
            total = sum (r ['pence'] for r in rows)
            local = sum (r ['pence'] for r in rows
                         if r ['supplier'] and r ['supplier'].postcode in trafford_postcodes)
            unknown = sum (r ['pence'] for r in rows
                           if not r ['supplier'] or not r ['supplier'].postcode)
            shares.append ((year, total, local, unknown))
        local_lines.append ((p.name, shares))
    files.add ('socval.cfg.fragment', config_fragment ())
    files.add ('MANIFEST', ('\n'.join (manifest) + '\n').encode ('utf-8'))

    prediction = predict (contracts, suppliers, plans, deliveries)
    stats = {
        'counts': counts, 'prediction': prediction, 'local': local_lines,
        'suppliers': suppliers, 'contracts': contracts, 'plans': plans,
        'kpis': files.files ['council/kpis.csv'].decode ('utf-8'),
    }
    files.add ('README.md', readme (stats).encode ('utf-8'))
    return files, stats


def readme (stats):
    from string import Template
    suppliers = stats ['suppliers']
    prediction = stats ['prediction']
    per_partner = []
    for pi, p in enumerate (PARTNERS):
        per_partner.append ('| `%s` | %s | `%s-YYYY-NNNN` | %d | %d | %s |' % (
            p.name, p.body, p.prefix, stats ['counts'] ['%s/suppliers.csv' % p.name],
            stats ['counts'] ['%s/contracts.csv' % p.name], '{:,}'.format (p.spend_rows)))
    file_table = ['| `%s` | %s |' % (path, '{:,}'.format (n))
                  for path, n in stats ['counts'].items ()]
    n = len (suppliers)
    pct = lambda k: '%d%%' % round (100 * sum (1 for s in suppliers if s.locality == k) / n)
    local_spend = []
    for name, shares in stats ['local']:
        parts = ['%s %d%% of £%sm' % (fy_name (y), round (100 * local / total),
                                       '{:.1f}'.format (total / 1e8))
                 for y, total, local, unknown in shares]
        gain = shares [1] [2] - shares [0] [2]
        local_spend.append ('%s %s (local spend up £%sm)' % (
            name, ', '.join (parts), '{:.1f}'.format (gain / 1e8)))
    shortfall = prediction ['shortfall']
    values = {
        'partner_table': '\n'.join (per_partner),
        'file_table': '\n'.join (file_table),
        'local_pct': pct ('local'), 'outside_pct': pct ('outside'), 'blank_pct': pct ('unknown'),
        'distinct': n, 'shared': sum (1 for s in suppliers if len (s.partners) > 1),
        'today': TODAY.isoformat (),
        'local_spend': '; '.join (local_spend) + '.',
        'missing': len (prediction ['missing']),
        'missing_ids': ', '.join (prediction ['missing']),
        'lapsed': prediction ['lapsed_suppliers'],
        'lapsed_records': prediction ['lapsed'],
        'short_ids': ', '.join (sorted (set (c for c, _ in shortfall))),
        'shortfall': len (shortfall),
        'short_contracts': len (set (c for c, _ in shortfall)),
        'overdue': len (prediction ['overdue']),
        'overdue_ids': ', '.join (prediction ['overdue']),
        'committed': len (stats ['plans']),
        'small_groups': ', '.join ('"%s" (%d)' % g for g in SMALL_GROUPS),
        'kpi_rows': '{:,}'.format (stats ['counts'] ['council/kpis.csv']),
        'kpi_contracts': len (set (row.split (',') [0] for row in
                                   stats ['kpis'].splitlines () [1:])),
    }
    return reflow (Template (README).substitute (values))


def reflow (text):
    """Fills the README's prose paragraphs and list items to 78 columns
    (the generated figures make some lines long); tables and code stay."""
    import textwrap
    blocks = []
    for block in text.split ('\n\n'):
        if block.startswith (('|', '```', '#', '(', '`MANIFEST`')) and not block.startswith ('(P'):
            blocks.append (block)
            continue
        items, current = [], []
        for line in block.split ('\n'):
            if line.startswith ('- ') and current:
                items.append (current)
                current = []
            current.append (line.strip ())
        items.append (current)
        filled = []
        for item in items:
            words = ' '.join (item)
            bullet = words.startswith ('- ')
            filled.append (textwrap.fill (words, 78, subsequent_indent = '  ' if bullet else '',
                                          break_long_words = False, break_on_hyphens = False))
        blocks.append ('\n'.join (filled))
    return '\n\n'.join (blocks).rstrip ('\n') + '\n'


def main ():
    parser = argparse.ArgumentParser (description = 'Writes the example feeds.')
    parser.add_argument ('--check', action = 'store_true',
                         help = 'write nothing; exit 1 if the files differ')
    parser.add_argument ('--stats', action = 'store_true',
                         help = 'print what socval should make of the data')
    parser.add_argument ('--postcodes', default = str (POSTCODES),
                         help = 'the Trafford ONS postcode directory CSV')
    parser.add_argument ('--out', default = str (OUT), help = 'folder to write')
    args = parser.parse_args ()
    files, stats = build (args.postcodes)
    out = Path (args.out)
    stale = []
    for path, data in files.files.items ():
        target = out / path
        if target.exists () and target.read_bytes () == data:
            continue
        stale.append (path)
        if not args.check:
            target.parent.mkdir (parents = True, exist_ok = True)
            target.write_bytes (data)
    if args.stats:
        p = stats ['prediction']
        for path, n in stats ['counts'].items ():
            print ('%-28s %6d rows' % (path, n), file = sys.stderr)
        for name, shares in stats ['local']:
            for y, total, local, unknown in shares:
                print ('%-9s %s  total £%.0f  local %.1f%%  unknown %.1f%%' % (
                    name, fy_name (y), total / 100, 100 * local / total, 100 * unknown / total),
                    file = sys.stderr)
        print ('rlw.missing_commitment %d: %s' % (len (p ['missing']), ' '.join (p ['missing'])),
               file = sys.stderr)
        print ('rlw.accreditation_lapsed %d suppliers (%d partner records)' % (
            p ['lapsed_suppliers'], p ['lapsed']), file = sys.stderr)
        print ('delivery.shortfall %d: %s' % (len (p ['shortfall']), ' '.join (
            '%s/%s' % x for x in p ['shortfall'])), file = sys.stderr)
        print ('delivery.overdue %d: %s' % (len (p ['overdue']), ' '.join (p ['overdue'])),
               file = sys.stderr)
    if args.check and stale:
        for path in stale:
            print ('make_examples: %s differs from what the generator writes' % path,
                   file = sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit (main ())
