/* ld-demo-city.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include "ld-demo-city.h"

/* The reference data of the demo city, modelled on Jiaxing's November 2023
 * bulletin (seed 000). The names are data, not interface text: they are
 * what a Chinese center keeps in its tables, so none of them is translated.
 *
 * Numbers quoted as (一) … (七) are the tables of seed 000; "附件" is its
 * last table (handlings per region, with and without linkage units). */

/* Region outlines.
 *
 * Hand-drawn in WGS84 after the rough shape of the real districts; they are
 * not the official boundaries (those are GCJ-02 and not ours to copy). The
 * leaves tile the city: every shared border uses the very same vertices on
 * both sides, so a point is in at most one leaf. Rings run counter-clockwise
 * (RFC 7946). The city and 市本级 have no outline of their own: they are the
 * union of their children. */

static const char boundary_nanhu[] = /* 南湖区, 21 vertices */
  "{\"type\":\"Polygon\",\"coordinates\":[["
  "[120.760,30.790],[120.745,30.762],[120.752,30.742],[120.765,30.715],[120.755,30.685],"
  "[120.735,30.672],[120.750,30.645],[120.765,30.615],[120.790,30.615],[120.830,30.605],"
  "[120.880,30.610],[120.930,30.600],[120.965,30.615],[120.965,30.660],[120.970,30.720],"
  "[120.990,30.780],[120.965,30.775],[120.920,30.780],[120.880,30.775],[120.840,30.800],"
  "[120.800,30.830],[120.760,30.790]]]}";

static const char boundary_xiuzhou[] = /* 秀洲区, 24 vertices */
  "{\"type\":\"Polygon\",\"coordinates\":[["
  "[120.590,30.750],[120.655,30.680],[120.635,30.625],[120.645,30.585],[120.735,30.590],"
  "[120.765,30.615],[120.750,30.645],[120.735,30.672],[120.700,30.678],[120.682,30.705],"
  "[120.695,30.735],[120.725,30.748],[120.752,30.742],[120.745,30.762],[120.760,30.790],"
  "[120.800,30.830],[120.750,30.900],[120.735,30.955],[120.710,30.972],[120.660,30.960],"
  "[120.675,30.920],[120.655,30.862],[120.600,30.845],[120.555,30.805],[120.590,30.750]]]}";

static const char boundary_jingkai[] = /* 经开区, 8 vertices */
  "{\"type\":\"Polygon\",\"coordinates\":[["
  "[120.725,30.748],[120.695,30.735],[120.682,30.705],[120.700,30.678],[120.735,30.672],"
  "[120.755,30.685],[120.765,30.715],[120.752,30.742],[120.725,30.748]]]}";

static const char boundary_jiashan[] = /* 嘉善县, 17 vertices */
  "{\"type\":\"Polygon\",\"coordinates\":[["
  "[120.750,30.900],[120.800,30.830],[120.840,30.800],[120.880,30.775],[120.920,30.780],"
  "[120.965,30.775],[120.990,30.780],[121.020,30.810],[121.040,30.835],[121.045,30.870],"
  "[121.030,30.920],[121.020,30.980],[121.000,31.020],[120.930,31.025],[120.870,31.010],"
  "[120.800,31.000],[120.735,30.955],[120.750,30.900]]]}";

static const char boundary_haiyan[] = /* 海盐县, 19 vertices */
  "{\"type\":\"Polygon\",\"coordinates\":[["
  "[120.930,30.600],[120.880,30.610],[120.830,30.605],[120.790,30.615],[120.765,30.615],"
  "[120.735,30.590],[120.745,30.550],[120.780,30.500],[120.800,30.450],[120.820,30.400],"
  "[120.840,30.350],[120.890,30.370],[120.935,30.400],[120.965,30.450],[120.975,30.500],"
  "[121.000,30.535],[121.035,30.565],[121.005,30.595],[120.965,30.615],[120.930,30.600]]]}";

static const char boundary_haining[] = /* 海宁市, 21 vertices */
  "{\"type\":\"Polygon\",\"coordinates\":[["
  "[120.600,30.555],[120.550,30.530],[120.480,30.490],[120.400,30.495],[120.330,30.485],"
  "[120.320,30.460],[120.310,30.420],[120.350,30.400],[120.400,30.395],[120.480,30.400],"
  "[120.550,30.395],[120.620,30.385],[120.700,30.370],[120.780,30.355],[120.840,30.350],"
  "[120.820,30.400],[120.800,30.450],[120.780,30.500],[120.745,30.550],[120.735,30.590],"
  "[120.645,30.585],[120.600,30.555]]]}";

static const char boundary_pinghu[] = /* 平湖市, 22 vertices */
  "{\"type\":\"Polygon\",\"coordinates\":[["
  "[121.020,30.810],[120.990,30.780],[120.970,30.720],[120.965,30.660],[120.965,30.615],"
  "[121.005,30.595],[121.035,30.565],[121.050,30.578],[121.062,30.602],[121.090,30.620],"
  "[121.120,30.640],[121.140,30.650],[121.150,30.632],[121.220,30.655],[121.270,30.680],"
  "[121.270,30.715],[121.230,30.740],[121.200,30.770],[121.150,30.770],[121.120,30.800],"
  "[121.100,30.850],[121.040,30.835],[121.020,30.810]]]}";

static const char boundary_tongxiang[] = /* 桐乡市, 18 vertices */
  "{\"type\":\"Polygon\",\"coordinates\":[["
  "[120.530,30.790],[120.500,30.755],[120.460,30.730],[120.420,30.690],[120.370,30.665],"
  "[120.330,30.650],[120.300,30.600],[120.300,30.530],[120.330,30.485],[120.400,30.495],"
  "[120.480,30.490],[120.550,30.530],[120.600,30.555],[120.645,30.585],[120.635,30.625],"
  "[120.655,30.680],[120.590,30.750],[120.555,30.805],[120.530,30.790]]]}";

static const char boundary_gangqu[] = /* 港区, 9 vertices */
  "{\"type\":\"Polygon\",\"coordinates\":[["
  "[121.140,30.650],[121.120,30.640],[121.090,30.620],[121.062,30.602],[121.050,30.578],"
  "[121.075,30.592],[121.100,30.605],[121.125,30.618],[121.150,30.632],[121.140,30.650]]]}";

/* Weights are the leaves' share of the city's linkage handlings, (二):
 * 市本级 12905 is split 45/40/15 % over 南湖, 秀洲 and 经开区 (the bulletin
 * does not break it down). yoy_growth is the region's change of linkage
 * alarms in (一). Parents come before their children so that a store with
 * foreign keys can take the rows in order. */
const LdDemoRegion ld_demo_regions[] = {
  { "330400", "嘉兴市", NULL, NULL, 30.752, 120.758, 0, 0.1406 },
  { "330401", "市本级", "330400", NULL, 30.752, 120.758, 0, 0.1019 },
  /* The city center, 南湖 lake, is in 南湖区 near its border with 秀洲区. */
  { "330402", "南湖区", "330401", boundary_nanhu, 30.752, 120.758, 5807.25, 0.1019 },
  { "330411", "秀洲区", "330401", boundary_xiuzhou, 30.765, 120.710, 5162.0, 0.1019 },
  /* 嘉兴经济技术开发区, south-west of the center (城南, 长水). */
  { "330490", "经开区", "330401", boundary_jingkai, 30.710, 120.725, 1935.75, 0.1019 },
  { "330421", "嘉善县", "330400", boundary_jiashan, 30.840, 120.920, 3851, 0.2745 },
  { "330424", "海盐县", "330400", boundary_haiyan, 30.525, 120.945, 1874, -0.0798 },
  { "330481", "海宁市", "330400", boundary_haining, 30.510, 120.680, 4746, 0.5093 },
  { "330482", "平湖市", "330400", boundary_pinghu, 30.700, 121.020, 4407, 0.2997 },
  { "330483", "桐乡市", "330400", boundary_tongxiang, 30.630, 120.565, 4175, -0.0710 },
  /* 嘉兴港区: a strip of the Hangzhou Bay shore around 乍浦, inside 平湖. */
  { "330491", "港区", "330400", boundary_gangqu, 30.613, 121.095, 261, -0.4580 },
};
const guint ld_demo_n_regions = G_N_ELEMENTS (ld_demo_regions);

/* Units.
 *
 * The 市本级 departments are every unit of (四) and (五), named as (五)
 * prints them; they sit in the city (330401), their positions in 南湖区.
 * weight is the unit's monthly orders: (五)'s 派单数, (四)'s 派单处置数 for
 * 市卫健委, which (五) leaves out. sign_rate and feedback_rate are (五)'s;
 * repeat_rate is (四)'s where it is printed. A unit the bulletin does not
 * rate signs everything and reports back on 99 % (the targets are 100 %),
 * and its callers call again 5–9 % of the time, below the 14 % line.
 *
 * Phone numbers are made up: 0573 is Jiaxing's area code, the rest is a
 * numbering plan of our own (8207 for the city, 8410… for each county). */
const LdDemoUnit ld_demo_units[] = {
  /* The city's first responders. The police's weight is what (二) counts
   * beyond 附件's unit handlings in 市本级 (12905 − 9433): matters the police
   * settled alone. Fire has 市本级's share of (三)'s 755. */
  { "JX-GA", "嘉兴市公安局", 1, "police", "330401", "0573-82070110",
    30.7560, 120.7700, 3472, 1.0, 0.99, 0.0600 },
  { "JX-XF", "嘉兴市消防救援支队", 1, "fire", "330401", "0573-82070119",
    30.7380, 120.7830, 293, 1.0, 0.99, 0.0500 },
  /* In Jiaxing the 120 medical dispatch is the 卫健委's: its 3581 orders in
   * (四) are (三)'s 医疗急救 for 市本级. So there is no separate city 120
   * unit: the 卫健委 is "medical", like the county ambulance stations below,
   * and also answers for health supervision in the demo. */
  { "JX-WJW", "嘉兴市卫生健康委员会", 1, "medical", "330401", "0573-82070120",
    30.7620, 120.7680, 3581, 1.0, 0.99, 0.0757 },
  { "JX-YJ", "嘉兴市应急管理局", 1, "emergency", "330401", "0573-82070101",
    30.7500, 120.7950, 118, 1.0, 1.0, 0.0678 },
  { "JX-DLJ", "嘉兴市电力局", 1, "power", "330401", "0573-82070102",
    30.7580, 120.8050, 70, 1.0, 1.0, 0.0571 },
  { "JX-ZHZF", "嘉兴市综合执法局", 2, "urban_management", "330401", "0573-82070103",
    30.7525, 120.7640, 432, 1.0, 1.0, 0.1875 },
  { "JX-ZJJ", "嘉兴市住房和城乡建设局", 2, "housing", "330401", "0573-82070104",
    30.7455, 120.7745, 39, 0.7692, 0.7436, 0.0769 },
  { "JX-STHJ", "嘉兴市生态环境局", 2, "environment", "330401", "0573-82070105",
    30.7590, 120.7815, 2, 1.0, 1.0, 0.0500 },
  { "JX-JTYS", "嘉兴市交通运输局", 2, "transport", "330401", "0573-82070106",
    30.7410, 120.7905, 37, 1.0, 1.0, 0.1081 },
  /* (五) dispatched 28 and rates them on those; (四) counts 51 handled and
   * its repeat rate, 4 of 51. */
  { "JX-SCJG", "嘉兴市市场监督管理局", 2, "market", "330401", "0573-82070107",
    30.7665, 120.7760, 51, 0.8929, 0.8929, 0.0784 },
  { "JX-NYNC", "嘉兴市农业农村局", 2, "agriculture", "330401", "0573-82070108",
    30.7350, 120.7720, 39, 1.0, 1.0, 0.1795 },
  { "JX-RSJ", "嘉兴市人力资源和社会保障局", 2, "hrss", "330401", "0573-82070109",
    30.7395, 120.7770, 93, 1.0, 0.9892, 0.0860 },
  { "JX-ZRZY", "嘉兴市自然资源和规划局", 2, "natural_resources", "330401", "0573-82070111",
    30.7610, 120.7900, 30, 0.9667, 0.9667, 0.0667 },
  /* The city's investment groups: 嘉城 runs the gas network, 嘉源 water
   * supply and drainage, 嘉通 the buses. */
  { "JX-JCJT", "嘉兴嘉城集团", 2, "city_invest", "330401", "0573-82070112",
    30.7440, 120.8010, 21, 0.8095, 0.8095, 0.0714 },
  { "JX-JYJT", "嘉兴嘉源集团", 2, "water", "330401", "0573-82070113",
    30.7330, 120.7960, 12, 1.0, 1.0, 0.0833 },
  /* Signed and reported back on none of its 3 orders in November. */
  { "JX-JTJT", "嘉兴嘉通集团", 2, "transit", "330401", "0573-82070114",
    30.7290, 120.7850, 3, 0.0, 0.0, 0.0667 },
  { "JX-YCJ", "嘉兴市烟草局", 2, "tobacco", "330401", "0573-82070115",
    30.7560, 120.8130, 19, 1.0, 0.8947, 0.2105 },
  { "JX-SWJ", "嘉兴市商务局", 3, "commerce", "330401", "0573-82070116",
    30.7680, 120.7830, 5, 1.0, 0.80, 0.0600 },
  { "JX-DX", "电信嘉兴分公司", 3, "telecom", "330401", "0573-82070117",
    30.7530, 120.7860, 31, 1.0, 0.9032, 0.0645 },
  { "JX-YD", "移动嘉兴分公司", 3, "telecom", "330401", "0573-82070118",
    30.7645, 120.7990, 31, 1.0, 0.9355, 0.0645 },
  { "JX-LT", "联通嘉兴分公司", 3, "telecom", "330401", "0573-82070121",
    30.7475, 120.8090, 28, 1.0, 1.0, 0.0714 },
  { "JX-HSDS", "嘉兴华数电视", 3, "cable_tv", "330401", "0573-82070122",
    30.7700, 120.7900, 29, 1.0, 1.0, 0.0690 },

  /* The district centers of 市本级. (四) calls them 南湖区政府, 秀洲区政府
   * and 开发区管委会 with the same counts: they are the 属地政府 of the city
   * proper, and take the matters of the towns and streets below them. */
  { "NH-ZX", "南湖区联动指挥中心", 1, "district_center", "330402", "0573-82070201",
    30.7440, 120.7930, 401, 1.0, 0.8130, 0.0798 },
  { "XZ-ZX", "秀洲区联动指挥中心", 1, "district_center", "330411", "0573-82070301",
    30.7700, 120.7150, 418, 1.0, 0.9976, 0.1196 },
  { "JK-ZX", "经开区联动指挥中心", 1, "district_center", "330490", "0573-82070401",
    30.7120, 120.7260, 147, 1.0, 0.8367, 0.0884 },

  /* The counties, each with its own center and first responders; other
   * matters go to the city departments. Weights follow the county's share
   * of 附件's unit handlings (嘉善 3308, 平湖 3433, 海盐 1477, 海宁 3647,
   * 桐乡 2927, 港区 63 of 14855 outside 市本级): police = (二) − 附件, medical
   * = (三)'s 5694 − 市本级's 3581, fire = (三)'s 755, center = (三)'s 属地政府
   * 1256 − 市本级's 966, urban management and power at 市本级's rate per
   * handling (432 and 70 of 9433). */
  { "JS-ZX", "嘉善县联动指挥中心", 1, "district_center", "330421", "0573-84100101",
    30.8420, 120.9230, 65, 1.0, 0.99, 0.0700 },
  { "JS-GA", "嘉善县公安局", 1, "police", "330421", "0573-84100110",
    30.8380, 120.9160, 543, 1.0, 0.99, 0.0600 },
  { "JS-XF", "嘉善县消防救援大队", 1, "fire", "330421", "0573-84100119",
    30.8330, 120.9290, 103, 1.0, 0.99, 0.0500 },
  { "JS-JJ", "嘉善县急救站", 1, "medical", "330421", "0573-84100120",
    30.8470, 120.9120, 471, 1.0, 0.99, 0.0750 },
  { "JS-ZF", "嘉善县综合执法局", 2, "urban_management", "330421", "0573-84100102",
    30.8440, 120.9300, 151, 1.0, 0.99, 0.0900 },
  { "JS-GD", "国网嘉善县供电公司", 1, "power", "330421", "0573-84100103",
    30.8360, 120.9080, 25, 1.0, 0.99, 0.0550 },

  { "PH-ZX", "平湖市联动指挥中心", 1, "district_center", "330482", "0573-85100101",
    30.7020, 121.0230, 67, 1.0, 0.99, 0.0650 },
  { "PH-GA", "平湖市公安局", 1, "police", "330482", "0573-85100110",
    30.6980, 121.0150, 974, 1.0, 0.99, 0.0600 },
  { "PH-XF", "平湖市消防救援大队", 1, "fire", "330482", "0573-85100119",
    30.6920, 121.0280, 107, 1.0, 0.99, 0.0500 },
  { "PH-JJ", "平湖市急救站", 1, "medical", "330482", "0573-85100120",
    30.7060, 121.0120, 488, 1.0, 0.99, 0.0700 },
  { "PH-ZF", "平湖市综合执法局", 2, "urban_management", "330482", "0573-85100102",
    30.7040, 121.0310, 157, 1.0, 0.99, 0.0850 },
  { "PH-GD", "国网平湖市供电公司", 1, "power", "330482", "0573-85100103",
    30.6950, 121.0080, 25, 1.0, 0.99, 0.0550 },

  { "HY-ZX", "海盐县联动指挥中心", 1, "district_center", "330424", "0573-86100101",
    30.5270, 120.9430, 29, 1.0, 0.99, 0.0600 },
  { "HY-GA", "海盐县公安局", 1, "police", "330424", "0573-86100110",
    30.5230, 120.9380, 397, 1.0, 0.99, 0.0550 },
  { "HY-XF", "海盐县消防救援大队", 1, "fire", "330424", "0573-86100119",
    30.5180, 120.9480, 46, 1.0, 0.99, 0.0500 },
  { "HY-JJ", "海盐县急救站", 1, "medical", "330424", "0573-86100120",
    30.5310, 120.9360, 210, 1.0, 0.99, 0.0650 },
  { "HY-ZF", "海盐县综合执法局", 2, "urban_management", "330424", "0573-86100102",
    30.5290, 120.9500, 68, 1.0, 0.99, 0.0800 },
  { "HY-GD", "国网海盐县供电公司", 1, "power", "330424", "0573-86100103",
    30.5200, 120.9310, 11, 1.0, 0.99, 0.0500 },

  { "HN-ZX", "海宁市联动指挥中心", 1, "district_center", "330481", "0573-87100101",
    30.5120, 120.6830, 71, 1.0, 0.99, 0.0750 },
  { "HN-GA", "海宁市公安局", 1, "police", "330481", "0573-87100110",
    30.5080, 120.6760, 1099, 1.0, 0.99, 0.0650 },
  { "HN-XF", "海宁市消防救援大队", 1, "fire", "330481", "0573-87100119",
    30.5030, 120.6880, 113, 1.0, 0.99, 0.0500 },
  { "HN-JJ", "海宁市急救站", 1, "medical", "330481", "0573-87100120",
    30.5160, 120.6720, 519, 1.0, 0.99, 0.0800 },
  { "HN-ZF", "海宁市综合执法局", 2, "urban_management", "330481", "0573-87100102",
    30.5140, 120.6900, 167, 1.0, 0.99, 0.0900 },
  { "HN-GD", "国网海宁市供电公司", 1, "power", "330481", "0573-87100103",
    30.5050, 120.6700, 27, 1.0, 0.99, 0.0550 },

  { "TX-ZX", "桐乡市联动指挥中心", 1, "district_center", "330483", "0573-88100101",
    30.6320, 120.5680, 57, 1.0, 0.99, 0.0700 },
  { "TX-GA", "桐乡市公安局", 1, "police", "330483", "0573-88100110",
    30.6280, 120.5610, 1248, 1.0, 0.99, 0.0600 },
  { "TX-XF", "桐乡市消防救援大队", 1, "fire", "330483", "0573-88100119",
    30.6230, 120.5730, 91, 1.0, 0.99, 0.0500 },
  { "TX-JJ", "桐乡市急救站", 1, "medical", "330483", "0573-88100120",
    30.6360, 120.5580, 416, 1.0, 0.99, 0.0700 },
  { "TX-ZF", "桐乡市综合执法局", 2, "urban_management", "330483", "0573-88100102",
    30.6340, 120.5750, 134, 1.0, 0.99, 0.0850 },
  { "TX-GD", "国网桐乡市供电公司", 1, "power", "330483", "0573-88100103",
    30.6250, 120.5550, 22, 1.0, 0.99, 0.0550 },

  /* 港区 is small: 63 unit handlings in November (附件), 198 by the police
   * alone. Its units sit along the shore strip around 乍浦. */
  { "GQ-ZX", "港区联动指挥中心", 1, "district_center", "330491", "0573-85500101",
    30.6130, 121.0950, 1, 1.0, 0.99, 0.0600 },
  { "GQ-GA", "嘉兴港区公安分局", 1, "police", "330491", "0573-85500110",
    30.6090, 121.0880, 198, 1.0, 0.99, 0.0550 },
  { "GQ-XF", "嘉兴港区消防救援大队", 1, "fire", "330491", "0573-85500119",
    30.6180, 121.1040, 2, 1.0, 0.99, 0.0500 },
  { "GQ-JJ", "港区急救站", 1, "medical", "330491", "0573-85500120",
    30.6045, 121.0800, 9, 1.0, 0.99, 0.0600 },
  { "GQ-ZF", "港区综合执法局", 2, "urban_management", "330491", "0573-85500102",
    30.6220, 121.1100, 3, 1.0, 0.99, 0.0700 },
  { "GQ-GD", "港区供电服务中心", 1, "power", "330491", "0573-85500103",
    30.6260, 121.1180, 1, 1.0, 0.99, 0.0500 },
};
const guint ld_demo_n_units = G_N_ELEMENTS (ld_demo_units);

/* The responsibility list (权责清单).
 *
 * The three dispatch modes are Wenling's (seed 002): a matter that needs no
 * one on the spot is diverted to another platform; one that does is sent at
 * once to the responsible unit (immediate); one that needs several is sent
 * to all of them together (joint). unit_categories names the responsible
 * kinds of unit: one for an immediate matter, each of several for a joint
 * one. The unit that answers is the one of the place's region, else of the
 * region above, else the city's. "medical" in 市本级 is the 120 of 市卫健委
 * (see the units above).
 *
 * Time limits are in seconds, 0 for the tier's default (sign 5 min, arrive
 * 20 min, feedback 2 h, result 8 h). Matters where a life is at stake are
 * signed in 1 min, reached in 15 and reported on within the hour; matters
 * that take an inspection, a hearing or a payment get days for the result.
 *
 * weight is the matter's relative frequency, calibrated on 市本级 in seed
 * 000: per incident, the orders the categories send to each kind of unit
 * stand in about the proportions of (四)/(五) — 医疗急救 3581, the district
 * centers 966, urban management 432, fire about 300 (its share of (三)'s
 * 755), emergency management 118, human resources 93 … 2 for the
 * environment bureau. Diverted matters only compete with the others of
 * their platform; their weights add up to (六)'s counts per platform. */

#define LIFE 60, 900, 3600   /* sign, arrive, feedback for life-safety matters */
#define DAY  86400
#define DAYS3 259200
#define WEEK 604800

const LdDemoCategory ld_demo_categories[] = {
  /* Life and safety: joint where more than one service rolls out. The
   * success case of seed 000 (a lorry on its side, its driver trapped)
   * called police, fire, 120, power and the carriers at once. */
  { "medical-emergency", "医疗急救", "immediate", NULL, "medical", LIFE, 0, 2900 },
  { "traffic-injury", "交通事故伤人", "joint", NULL, "police,medical", LIFE, 0, 420 },
  { "traffic-trapped", "交通事故人员被困", "joint", NULL, "police,fire,medical", LIFE, 0, 35 },
  { "fire", "火灾", "joint", NULL, "fire,police", LIFE, 0, 115 },
  { "forest-fire", "山林火灾", "joint", NULL, "fire,emergency,natural_resources,district_center",
    LIFE, 0, 2 },
  { "hazchem-leak", "危化品泄漏", "joint", NULL, "fire,emergency,environment,police", LIFE, 0, 4 },
  { "gas-leak", "燃气泄漏", "joint", NULL, "fire,city_invest", LIFE, 0, 16 },
  { "drowning", "溺水", "joint", NULL, "fire,medical,police", LIFE, 0, 25 },
  { "collapse", "房屋倒塌", "joint", NULL, "fire,emergency,housing,medical", LIFE, 0, 2 },
  { "fall-from-height", "高处坠落", "joint", NULL, "police,fire,medical", LIFE, 0, 20 },
  { "work-accident", "生产安全事故", "joint", NULL, "emergency,medical", LIFE, 0, 25 },
  { "elevator-trapped", "电梯困人", "immediate", NULL, "fire", LIFE, 0, 28 },
  { "animal-bite", "动物伤人", "joint", NULL, "police,medical", LIFE, 0, 30 },
  { "food-poisoning", "食物中毒", "joint", NULL, "medical,market", LIFE, 0, 3 },
  { "power-line-down", "电线断落", "immediate", NULL, "power", LIFE, 0, 25 },
  { "animal-rescue", "动物被困救助", "immediate", NULL, "fire", 0, 0, 0, 0, 10 },
  { "flood-typhoon", "防汛防台险情", "joint", NULL, "emergency,district_center,fire",
    60, 1200, 0, 0, 10 },
  { "facade-hazard", "外墙脱落(高空坠物隐患)", "joint", NULL, "fire,district_center",
    0, 0, 0, 0, 20 },
  { "mental-disorder", "精神障碍患者肇事肇祸", "joint", NULL, "police,district_center",
    60, 1200, 0, 0, 30 },
  { "mass-gathering", "群体性聚集", "joint", NULL, "police,district_center", 60, 1200, 0, 0, 25 },

  /* Matters of the place, for the district or county center to send to
   * its street or town (属地): (四) counts them under the district
   * governments. Seed 000's problem case, stones to sweep on 由拳路, is one. */
  { "road-spill", "路面抛洒物清扫", "immediate", NULL, "district_center", 0, 0, 0, 0, 180 },
  { "drain-blocked", "下水道堵塞(污水外溢)", "immediate", NULL, "district_center", 0, 0, 0, 0, 90 },
  { "elderly-help", "孤寡老人求助", "immediate", NULL, "district_center", 0, 0, 0, 0, 80 },
  { "passage-blocked", "杂物堵塞通道", "immediate", NULL, "district_center", 0, 0, 0, 0, 60 },
  { "facility-damage", "村(社区)公共设施损坏", "immediate", NULL, "district_center",
    0, 0, 0, DAY, 60 },
  { "open-burning", "野外焚烧(秸秆、垃圾)", "immediate", NULL, "district_center", 0, 0, 0, 0, 45 },
  { "square-dance", "广场舞噪音扰民", "immediate", NULL, "district_center", 0, 0, 0, 0, 30 },
  { "vagrant", "流浪乞讨人员救助", "immediate", NULL, "district_center", 0, 0, 0, 0, 25 },
  { "poultry", "违规饲养家禽扰民", "immediate", NULL, "district_center", 0, 0, 0, DAY, 20 },
  { "river-float", "河道漂浮物", "immediate", NULL, "district_center", 0, 0, 0, DAY, 15 },
  { "local-other", "其他属地事项", "immediate", NULL, "district_center", 0, 0, 0, 0, 270 },

  /* City management (综合执法): (四) 432 orders, repeat calls 18.75 %. */
  { "noise-construction", "噪音扰民(施工)", "immediate", NULL, "urban_management", 0, 0, 0, 0, 80 },
  { "street-vending", "占道经营", "immediate", NULL, "urban_management", 0, 0, 0, 0, 70 },
  { "garbage", "垃圾乱堆乱倒", "immediate", NULL, "urban_management", 0, 0, 0, 0, 60 },
  { "illegal-building", "违章搭建", "immediate", NULL, "urban_management", 0, 0, 0, WEEK, 40 },
  { "noise-business", "噪音扰民(商业经营)", "immediate", NULL, "urban_management", 0, 0, 0, 0, 30 },
  { "fallen-tree", "树木倒伏", "immediate", NULL, "urban_management", 0, 0, 0, 0, 30 },
  { "cooking-fumes", "餐饮油烟扰民", "immediate", NULL, "urban_management", 0, 0, 0, DAY, 25 },
  { "muck-dumping", "渣土偷倒", "immediate", NULL, "urban_management", 0, 0, 0, DAY, 25 },
  { "stray-dog", "流浪犬", "immediate", NULL, "urban_management", 0, 0, 0, DAY, 20 },
  { "outdoor-bbq", "露天烧烤", "immediate", NULL, "urban_management", 0, 0, 0, 0, 15 },
  { "billboard", "户外广告牌安全隐患", "immediate", NULL, "urban_management", 0, 0, 0, 0, 15 },
  { "flyposting", "小广告乱张贴", "immediate", NULL, "urban_management", 0, 0, 0, DAY, 10 },

  /* Roads, drains and buildings (住建, 39 orders in (五)). */
  { "road-water", "道路积水", "immediate", NULL, "housing", 0, 0, 0, 0, 14 },
  /* An open manhole swallows a cyclist: reached within 15 min. */
  { "manhole", "窨井盖缺失", "immediate", NULL, "housing", 0, 900, 0, 0, 12 },
  { "road-damage", "道路破损塌陷", "immediate", NULL, "housing", 0, 0, 0, DAY, 7 },
  { "house-hazard", "房屋安全隐患", "immediate", NULL, "housing", 0, 0, 0, DAY, 6 },

  /* Utilities. */
  { "power-outage", "停电", "immediate", NULL, "power", 0, 0, 0, 0, 45 },
  { "water-main", "供水管道破裂", "immediate", NULL, "water", 0, 0, 0, 0, 8 },
  { "water-outage", "停水", "immediate", NULL, "water", 0, 0, 0, 0, 4 },
  { "gas-fault", "管道燃气故障", "immediate", NULL, "city_invest", 0, 0, 0, 0, 5 },
  { "telecom-fault", "通信故障(信号塔)", "immediate", NULL, "telecom", 0, 0, 0, DAY, 55 },
  { "cable-down", "通信线缆掉落", "immediate", NULL, "telecom", 0, 0, 0, 0, 35 },
  { "cable-tv", "有线电视故障", "immediate", NULL, "cable_tv", 0, 0, 0, DAY, 29 },

  /* The buses (嘉通). (五) gives 嘉通 only 3 orders, but it is the unit the
   * bulletin singles out (signed none of them): weighted up so that at the
   * demo's default scale (5 % of the city) it still gets a few a month. */
  { "bus-passenger", "公交车内纠纷求助", "immediate", NULL, "transit", 0, 0, 0, 0, 20 },
  { "bus-stop", "公交站台设施损坏", "immediate", NULL, "transit", 0, 0, 0, DAY, 10 },

  /* Market regulation: 28 orders in (五), 51 handled in (四). */
  { "food-safety", "食品安全投诉", "immediate", NULL, "market", 0, 0, 0, DAYS3, 15 },
  { "unlicensed", "无照经营(假冒伪劣)", "immediate", NULL, "market", 0, 0, 0, DAYS3, 10 },
  { "elevator-fault", "电梯故障(无人被困)", "immediate", NULL, "market", 0, 0, 0, 0, 8 },
  { "short-weight", "缺斤短两", "immediate", NULL, "market", 0, 0, 0, DAY, 5 },

  /* Human resources and social security (93 orders): wages take days. */
  { "wage-arrears", "欠薪讨薪", "immediate", NULL, "hrss", 0, 0, 0, DAYS3, 60 },
  { "labour-dispute", "劳资纠纷", "immediate", NULL, "hrss", 0, 0, 0, DAYS3, 33 },

  /* Emergency management (118) takes the hazards, besides the joint
   * accidents above. */
  { "safety-hazard", "安全生产隐患", "immediate", NULL, "emergency", 0, 0, 0, 0, 55 },
  { "fireworks", "非法储存烟花爆竹", "immediate", NULL, "emergency", 0, 0, 0, 0, 12 },
  { "ground-collapse", "地面塌陷(地质灾害)", "joint", NULL, "natural_resources,emergency",
    60, 1200, 0, 0, 3 },

  /* Natural resources (30). */
  { "illegal-land-use", "违法占地", "immediate", NULL, "natural_resources", 0, 0, 0, WEEK, 18 },
  { "farmland-building", "乱占耕地建房", "immediate", NULL, "natural_resources", 0, 0, 0, WEEK, 7 },

  /* Agriculture and rural affairs (39, repeat calls 17.95 %): fisheries,
   * animal health and farm supplies are theirs. */
  { "illegal-fishing", "非法捕捞(电鱼)", "immediate", NULL, "agriculture", 0, 0, 0, 0, 18 },
  { "dead-livestock", "病死畜禽", "immediate", NULL, "agriculture", 0, 0, 0, 0, 12 },
  { "pesticide", "农药残留(农资)", "immediate", NULL, "agriculture", 0, 0, 0, DAYS3, 5 },
  { "stray-livestock", "家畜走失上路", "immediate", NULL, "agriculture", 0, 0, 0, 0, 4 },

  /* Transport (37). */
  { "road-facility", "公路交通设施损坏", "immediate", NULL, "transport", 0, 0, 0, DAY, 12 },
  { "road-obstacle", "公路障碍物", "immediate", NULL, "transport", 0, 0, 0, 0, 10 },
  { "illegal-taxi", "非法营运", "immediate", NULL, "transport", 0, 0, 0, DAY, 10 },
  { "waterway", "航道船舶险情", "immediate", NULL, "transport", 60, 1200, 0, 0, 5 },

  /* The environment bureau had 2 orders in (五). */
  { "pollution-odour", "环境污染(异味)", "immediate", NULL, "environment", 0, 0, 0, DAY, 1 },
  { "exhaust-gas", "废气排放", "immediate", NULL, "environment", 0, 0, 0, DAY, 0.6 },
  { "water-pollution", "水体污染(死鱼)", "immediate", NULL, "environment", 0, 0, 0, DAY, 0.4 },

  /* The smallest lines of (四)/(五). */
  { "tobacco", "烟草制品违法销售", "immediate", NULL, "tobacco", 0, 0, 0, DAYS3, 19 },
  { "prepaid-card", "预付卡退费纠纷", "immediate", NULL, "commerce", 0, 0, 0, DAYS3, 5 },
  { "illegal-practice", "非法行医", "immediate", NULL, "medical", 0, 0, 0, DAYS3, 2 },
  { "medical-dispute", "医疗纠纷", "joint", NULL, "police,medical", 0, 0, 0, 0, 8 },

  /* Diverted matters, by platform, (六): 综治四个平台 13033, 114 移车 4166,
   * 12345 2163, 96345 304. No unit of ours handles them. */
  { "neighbour-dispute", "邻里纠纷", "divert", "governance", NULL, 0, 0, 0, 0, 3300 },
  { "property-dispute", "物业纠纷", "divert", "governance", NULL, 0, 0, 0, 0, 2000 },
  { "parking-dispute", "小区停车纠纷", "divert", "governance", NULL, 0, 0, 0, 0, 1500 },
  { "renovation-noise", "装修噪音扰民", "divert", "governance", NULL, 0, 0, 0, 0, 1433 },
  { "family-dispute", "家庭纠纷", "divert", "governance", NULL, 0, 0, 0, 0, 1400 },
  { "seepage", "楼上渗漏水", "divert", "governance", NULL, 0, 0, 0, 0, 1000 },
  { "rental-dispute", "房屋租赁纠纷", "divert", "governance", NULL, 0, 0, 0, 0, 900 },
  { "pet-nuisance", "宠物扰民", "divert", "governance", NULL, 0, 0, 0, 0, 800 },
  { "land-dispute", "宅基地纠纷", "divert", "governance", NULL, 0, 0, 0, 0, 700 },
  { "car-move", "挪车", "divert", "114", NULL, 0, 0, 0, 0, 3700 },
  { "entrance-blocked", "车辆堵塞出入口", "divert", "114", NULL, 0, 0, 0, 0, 466 },
  { "policy-enquiry", "政策咨询", "divert", "12345", NULL, 0, 0, 0, 0, 800 },
  { "consumer-dispute", "消费纠纷", "divert", "12345", NULL, 0, 0, 0, 0, 500 },
  { "utility-enquiry", "停水停电咨询", "divert", "12345", NULL, 0, 0, 0, 0, 250 },
  { "education-complaint", "教育培训投诉", "divert", "12345", NULL, 0, 0, 0, 0, 163 },
  { "bus-complaint", "公交服务投诉", "divert", "12345", NULL, 0, 0, 0, 0, 150 },
  { "taxi-complaint", "出租车服务投诉", "divert", "12345", NULL, 0, 0, 0, 0, 150 },
  { "service-complaint", "办事效率投诉", "divert", "12345", NULL, 0, 0, 0, 0, 150 },
  { "appliance-repair", "家电维修", "divert", "96345", NULL, 0, 0, 0, 0, 130 },
  { "locksmith", "开锁求助", "divert", "96345", NULL, 0, 0, 0, 0, 90 },
  { "home-repair", "水电维修", "divert", "96345", NULL, 0, 0, 0, 0, 84 },
};
const guint ld_demo_n_categories = G_N_ELEMENTS (ld_demo_categories);

#undef LIFE
#undef DAY
#undef DAYS3
#undef WEEK

/* Streets and roads for incident addresses, real names of each place. Seed
 * 000's problem case puts the crossing of 由拳路 and 富润路 in 经开区. */
const LdDemoStreet ld_demo_streets[] = {
  { "330402", "中山东路" }, { "330402", "禾兴南路" }, { "330402", "建国南路" },
  { "330402", "勤俭路" }, { "330402", "少年路" }, { "330402", "南湖路" },
  { "330402", "东升东路" }, { "330402", "广益路" }, { "330402", "双溪路" },
  { "330402", "文昌路" },

  { "330411", "中山西路" }, { "330411", "洪兴西路" }, { "330411", "洪波路" },
  { "330411", "康和路" }, { "330411", "八字路" }, { "330411", "新洲路" },
  { "330411", "秀园路" }, { "330411", "新塍大街" },

  { "330490", "城南路" }, { "330490", "长水路" }, { "330490", "由拳路" },
  { "330490", "富润路" }, { "330490", "槜李路" }, { "330490", "纺工路" },
  { "330490", "昌盛南路" }, { "330490", "中环南路" },

  { "330421", "解放东路" }, { "330421", "体育南路" }, { "330421", "施家南路" },
  { "330421", "晋阳东路" }, { "330421", "亭桥路" }, { "330421", "谈公南路" },
  { "330421", "人民大道" }, { "330421", "罗星路" },

  { "330424", "海滨东路" }, { "330424", "枣园路" }, { "330424", "长安北路" },
  { "330424", "盐北路" }, { "330424", "朝阳路" }, { "330424", "向阳路" },
  { "330424", "城北东路" }, { "330424", "秦山路" },

  { "330481", "海昌南路" }, { "330481", "文苑路" }, { "330481", "工人路" },
  { "330481", "西山路" }, { "330481", "水月亭路" }, { "330481", "海州西路" },
  { "330481", "钱江西路" }, { "330481", "硖川路" },

  { "330482", "胜利路" }, { "330482", "新华路" }, { "330482", "三港路" },
  { "330482", "东湖大道" }, { "330482", "人民路" }, { "330482", "当湖西路" },
  { "330482", "平善大道" }, { "330482", "环城北路" },

  { "330483", "庆丰中路" }, { "330483", "振兴东路" }, { "330483", "复兴北路" },
  { "330483", "世纪大道" }, { "330483", "校场东路" }, { "330483", "环城南路" },
  { "330483", "凤鸣路" }, { "330483", "梧桐大道" },

  { "330491", "平海路" }, { "330491", "雅山路" }, { "330491", "东方大道" },
  { "330491", "港城大道" }, { "330491", "乍王公路" }, { "330491", "滨海大道" },
};
const guint ld_demo_n_streets = G_N_ELEMENTS (ld_demo_streets);
