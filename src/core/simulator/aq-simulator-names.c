/* aq-simulator-names.c — names as a Fuzhou utility's records hold them
 *
 * People, businesses, communities and streets are put together from syllable lists, weighted
 * so that the common surnames of Fujian come up as often as they do there. Identity numbers
 * carry a valid check character, so a pipeline's validation rule has something real to check.
 */
#define G_LOG_DOMAIN "aq-simulator"

#include "aq-simulator-private.h"

#include <string.h>

const char * const aq_sim_district_names[6] = {
  "鼓楼区", "台江区", "仓山区", "晋安区", "马尾区", "城南区",
};
const char * const aq_sim_district_codes[6] = {
  "350102", "350103", "350104", "350111", "350105", "350190",
};
const char * const aq_sim_district_abbrevs[6] = {
  "GL", "TJ", "CS", "JA", "MW", "CN",
};

/* the common surnames of Fujian, most frequent first, with rough weights */
static const char * const surnames[] = {
  "陈", "林", "黄", "张", "李", "王", "吴", "刘", "蔡", "杨", "郑", "许", "谢", "洪", "郭",
  "邱", "曾", "廖", "赖", "徐", "周", "叶", "苏", "庄", "吕", "江", "何", "罗", "高", "潘",
  "朱", "钟", "彭", "游", "詹", "胡", "施", "沈", "余", "卢", "梁", "赵", "颜", "柯", "翁",
  "魏", "孙", "戴", "方", "宋", "范", "邓", "杜", "傅", "侯", "曹", "薛", "丁", "卓", "马",
  "阮", "董", "温", "唐", "蓝", "蒋", "石", "纪", "姚", "连", "冯", "欧", "程", "汤", "田",
  "康", "姜", "白", "汪", "邹", "尤", "巫", "黎", "涂", "龚", "严", "韩", "袁", "金", "童",
  "陆", "夏", "柳", "邵", "欧阳", "司马",
};

static const char * const given_chars[] = {
  "建", "华", "明", "国", "平", "林", "芳", "敏", "静", "丽", "强", "磊", "军", "伟", "勇",
  "杰", "涛", "斌", "辉", "鹏", "婷", "雪", "燕", "红", "玲", "霞", "秀", "英", "兰", "梅",
  "琴", "峰", "志", "文", "晓", "海", "金", "荣", "宇", "浩", "思", "佳", "欣", "怡", "子",
  "俊", "雯", "凯", "宏", "龙", "坤", "清", "水", "春", "福", "德", "成", "新", "永", "玉",
  "美", "慧", "娟", "珍", "彬", "煌", "榕", "闽", "鑫", "毅", "晨", "阳", "昊", "涵", "轩",
  "睿", "博", "瑞", "嘉", "琳", "萍", "莉", "洁", "颖", "璐", "倩", "萱", "雅", "诗", "梓",
  "泽", "翔", "亮", "超", "刚", "彪", "良", "财", "发", "祥", "贵", "生", "忠", "耀", "光",
  "锦", "炎", "森", "鸿", "依", "铭", "航", "建", "秋", "惠", "淑", "桂", "凤", "丹", "宁",
};

/* two-character words for the names of places and businesses */
static const char * const place_words[] = {
  "金山", "福新", "温泉", "华林", "鼓山", "屏山", "东湖", "西湖", "江滨", "榕城", "闽江", "乌山",
  "三坊", "达道", "茶亭", "洋中", "福光", "新店", "岳峰", "鹤林", "秀峰", "盖山", "建新", "金辉",
  "融侨", "阳光", "世欧", "正祥", "泰禾", "中庚", "象园", "五凤", "梅峰", "龙峰", "福屿", "桂湖",
  "凤凰", "海润", "香榭", "丽景", "金域", "瑞景", "锦绣", "碧水", "紫阳", "上渡", "白湖", "首山",
  "浦上", "螺洲", "城门", "义洲", "帮洲", "后坂", "斗门", "横屿", "前横", "鼓岭", "北峰", "琴亭",
  "福马", "快安", "儒江", "亭江", "琅岐", "魁岐", "君竹", "罗星", "马限", "江南", "金港", "新城",
  "湖滨", "恒宇", "三盛", "名城", "光明", "鳌峰", "芍园", "南禅", "西禅", "怡山", "红星", "鹭岭",
};

static const char * const community_middles[] = {
  "新", "东", "西", "南", "北", "锦", "丽", "华", "景", "秀", "御", "龙",
};

static const char * const community_suffixes[] = {
  "花园", "苑", "小区", "新村", "公寓", "家园", "花城", "广场", "雅居", "名都", "华府", "山庄",
  "城", "府", "佳园", "新苑", "雅苑", "大厦", "公馆", "湾",
};

static const char * const brand_chars[] = {
  "金", "华", "鑫", "恒", "福", "瑞", "盛", "达", "源", "泰", "兴", "隆", "宏", "嘉", "丰", "安",
  "顺", "永", "通", "新", "美", "佳", "和", "信", "益", "凯", "宇", "海", "天", "明", "东", "祥",
  "荣", "昌", "旺", "富", "德", "鸿", "博", "闽", "榕", "力", "众", "万", "汇", "联", "创", "融",
};

static const char * const street_first[] = {
  "梅", "龙", "横", "洋", "新", "金", "凤", "桂", "榕", "福", "鹤", "象", "屏", "冶", "闽", "南",
  "北", "东", "西", "江", "湖", "乌", "于", "旗", "台", "仓", "盖", "浦", "义", "洪", "杨", "白",
  "兴", "宁", "安", "鳌", "琼", "光", "文", "古",
};

static const char * const street_second[] = {
  "峰", "屿", "中", "店", "山", "湖", "园", "林", "亭", "坊", "岭", "桥", "埕", "洲", "塘", "墩",
  "湾", "浦", "头", "厝", "溪", "井", "河", "埔",
};

static const char * const shops[] = {
  "餐厅", "超市", "便利店", "理发店", "茶楼", "药店", "面馆", "小吃店", "干洗店", "汽修厂",
  "五金店", "水果店", "烟酒行", "美容院", "快餐店", "海鲜酒楼",
};

static const char * const industries[] = {
  "贸易", "科技", "餐饮管理", "建材", "物流", "服装", "电子", "广告", "医药", "房地产开发",
  "食品", "机械", "文化传媒", "实业", "商贸",
};

static const char * const large_industries[] = {
  "食品", "纺织", "啤酒", "热电", "造纸", "印染", "制药", "电子", "冷链物流", "饮料", "化工",
  "汽车配件",
};

static const char * const special_trades[] = {
  "洗车行", "洗浴中心", "足浴城", "纯净水厂", "桑拿会所", "游泳馆", "水上乐园", "洗涤厂",
};

static const char * const hospital_kinds[] = {
  "人民医院", "中医院", "妇幼保健院", "社区卫生服务中心", "口腔医院", "骨科医院", "眼科医院",
  "第二医院", "协和医院", "仁爱医院",
};

static const char * const school_kinds[] = {
  "小学", "实验小学", "中心小学", "中学", "第二中学", "实验学校", "职业技术学校", "外国语学校",
};

static const char * const kindergarten_kinds[] = {
  "幼儿园", "实验幼儿园", "第二幼儿园", "机关幼儿园", "双语幼儿园", "阳光幼儿园",
};

static const char * const hotel_kinds[] = {
  "大酒店", "宾馆", "酒店", "商务酒店", "国际大酒店", "假日酒店",
};

/* Fuzhou's district codes first, then the rest of Fujian and a few migrants' provinces */
static const char * const id_regions[] = {
  "350102", "350103", "350104", "350105", "350111", "350121", "350122", "350181", "350182",
  "350128", "350203", "350302", "350402", "350502", "350602", "350702", "350802", "350902",
  "360102", "330102", "440106", "510104", "430102", "420102",
};

static const char * const mobile_prefixes[] = {
  "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
  "155", "156", "157", "158", "159", "166", "173", "175", "176", "177", "178", "180", "181",
  "182", "183", "185", "186", "187", "188", "189", "191", "198", "199",
};

static void
append_word (AqRandom          *r,
             const char * const *words,
             guint               n,
             GString            *out)
{
  g_string_append (out, words[aq_random_below (r, n)]);
}

#define APPEND_PICK(r, array, out) append_word ((r), (array), G_N_ELEMENTS (array), (out))

void
aq_sim_person_name (AqRandom *r,
                    GString  *out)
{
  /* Zipf-like: the first surnames dominate, as 陈 and 林 do in Fuzhou */
  guint n = G_N_ELEMENTS (surnames);
  double u = aq_random_double (r);
  guint i = (guint) (n * u * u * u);

  g_string_append (out, surnames[MIN (i, n - 1)]);
  APPEND_PICK (r, given_chars, out);
  if (aq_random_chance (r, 0.72))
    APPEND_PICK (r, given_chars, out);
}

static void
brand (AqRandom *r,
       GString  *out)
{
  APPEND_PICK (r, brand_chars, out);
  APPEND_PICK (r, brand_chars, out);
}

void
aq_sim_business_name (AqRandom *r,
                      guint     cust_type,
                      guint     key_kind,
                      GString  *out)
{
  switch (key_kind)
    {
    case AQ_SIM_KEY_HOSPITAL:
      if (aq_random_chance (r, 0.3))
        g_string_append (out, "福州市");
      APPEND_PICK (r, place_words, out);
      APPEND_PICK (r, hospital_kinds, out);
      return;
    case AQ_SIM_KEY_SCHOOL:
      APPEND_PICK (r, place_words, out);
      APPEND_PICK (r, school_kinds, out);
      return;
    case AQ_SIM_KEY_KINDERGARTEN:
      APPEND_PICK (r, place_words, out);
      APPEND_PICK (r, kindergarten_kinds, out);
      return;
    case AQ_SIM_KEY_HOTEL:
      brand (r, out);
      APPEND_PICK (r, hotel_kinds, out);
      return;
    case AQ_SIM_KEY_LARGE:
      g_string_append (out, "福州");
      brand (r, out);
      APPEND_PICK (r, large_industries, out);
      g_string_append (out, "有限公司");
      return;
    default:
      break;
    }

  switch (cust_type)
    {
    case AQ_SIM_SPECIAL:
      brand (r, out);
      APPEND_PICK (r, special_trades, out);
      break;
    case AQ_SIM_CONSTRUCTION:
      g_string_append (out, aq_random_chance (r, 0.5) ? "福建" : "中建");
      brand (r, out);
      g_string_append (out, "建设集团有限公司");
      APPEND_PICK (r, place_words, out);
      g_string_append (out, "项目部");
      break;
    default:
      if (aq_random_chance (r, 0.55))
        {
          brand (r, out);
          APPEND_PICK (r, shops, out);
        }
      else
        {
          g_string_append (out, "福州");
          brand (r, out);
          APPEND_PICK (r, industries, out);
          g_string_append (out, "有限公司");
        }
      break;
    }
}

void
aq_sim_community_name (AqRandom *r,
                       GString  *out)
{
  APPEND_PICK (r, place_words, out);
  if (aq_random_chance (r, 0.35))
    APPEND_PICK (r, community_middles, out);
  APPEND_PICK (r, community_suffixes, out);
}

void
aq_sim_street_name (AqRandom *r,
                    GString  *out)
{
  double u = aq_random_double (r);

  APPEND_PICK (r, street_first, out);
  APPEND_PICK (r, street_second, out);
  g_string_append (out, u < 0.6 ? "路" : u < 0.85 ? "街" : "巷");
}

void
aq_sim_property_company (AqRandom *r,
                         GString  *out)
{
  if (aq_random_chance (r, 0.6))
    g_string_append (out, "福州");
  brand (r, out);
  g_string_append (out, aq_random_chance (r, 0.5) ? "物业管理有限公司" : "物业服务有限公司");
}

/* An 18-digit resident identity number (GB 11643) with its ISO 7064 MOD 11-2 check. */
void
aq_sim_id_card (AqRandom *r,
                gint32    birth_day,
                GString  *out)
{
  static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
  static const char checks[] = "10X98765432";
  gsize start = out->len;
  int y, m, d, sum = 0;

  g_string_append (out, id_regions[aq_random_below (r, G_N_ELEMENTS (id_regions))]);
  aq_day_to_civil (birth_day, &y, &m, &d);
  aq_sim_append_padded (out, (guint64) y, 4);
  aq_sim_append_padded (out, (guint64) m, 2);
  aq_sim_append_padded (out, (guint64) d, 2);
  aq_sim_append_padded (out, aq_random_below (r, 1000), 3);
  for (int i = 0; i < 17; i++)
    sum += (out->str[start + i] - '0') * weights[i];
  g_string_append_c (out, checks[sum % 11]);
}

/* An 18-character unified social credit code (GB 32100) with its check character. */
void
aq_sim_credit_code (AqRandom *r,
                    GString  *out)
{
  static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static const int weights[17] = { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30,
                                   28 };
  char code[19];
  int sum = 0;

  memcpy (code, "91350100", 8);
  for (int i = 8; i < 17; i++)
    code[i] = alphabet[aq_random_below (r, i < 10 ? 31 : 10)];
  for (int i = 0; i < 17; i++)
    sum += (int) (strchr (alphabet, code[i]) - alphabet) * weights[i];
  code[17] = alphabet[(31 - sum % 31) % 31];
  code[18] = '\0';
  g_string_append (out, code);
}

guint64
aq_sim_mobile_number (AqRandom *r)
{
  const char *prefix = mobile_prefixes[aq_random_below (r, G_N_ELEMENTS (mobile_prefixes))];
  guint64 n = (guint64) ((prefix[0] - '0') * 100 + (prefix[1] - '0') * 10 + (prefix[2] - '0'));

  return n * G_GUINT64_CONSTANT (100000000) + aq_random_below (r, 100000000);
}
