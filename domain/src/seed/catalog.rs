//! The demo city's report catalogue and management grids (Nanning, 南宁).

/// Category groups: code, Chinese name, English name.
pub const GROUPS: &[(&str, &str, &str)] = &[
    ("city_appearance", "市容环境", "City appearance"),
    ("roads", "道路设施", "Roads and facilities"),
    ("traffic", "交通秩序", "Traffic order"),
    ("greenery", "园林绿化", "Parks and greenery"),
    ("environment", "生态环境", "Environment"),
];

/// A demo category.
pub struct DemoCategory {
    pub code: &'static str,
    pub group: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub description_zh: &'static str,
    pub description_en: &'static str,
    pub keywords: &'static str,
    pub department: &'static str,
    pub time_limit_hours: i64,
    /// Open311 attributes as JSON.
    pub attributes: &'static str,
}

pub const CATEGORIES: &[DemoCategory] = &[
    DemoCategory {
        code: "rubbish",
        group: "city_appearance",
        name_zh: "暴露垃圾",
        name_en: "Exposed rubbish",
        description_zh: "街面、绿地、河道旁堆放或散落的生活垃圾、建筑垃圾。",
        description_en: "Household or construction waste dumped or scattered in streets, green spaces or by rivers.",
        keywords: "垃圾,废物,堆放,建筑垃圾,rubbish,litter,trash,garbage,dumping",
        department: "cgj",
        time_limit_hours: 24,
        attributes: r#"[{"code":"amount","datatype":"singlevaluelist","required":true,"description_zh":"垃圾数量","description_en":"How much","order":1,
            "values":[{"key":"small","name_zh":"少量（一袋以内）","name_en":"A little (one bag or less)"},
                      {"key":"pile","name_zh":"成堆","name_en":"A pile"},
                      {"key":"large","name_zh":"大量（需车辆清运）","name_en":"A lot (needs a truck)"}]}]"#,
    },
    DemoCategory {
        code: "graffiti",
        group: "city_appearance",
        name_zh: "乱涂乱画、小广告",
        name_en: "Graffiti and flyposting",
        description_zh: "墙面、设施上的涂鸦和张贴的小广告。",
        description_en: "Graffiti or flyers on walls and street furniture.",
        keywords: "涂鸦,小广告,牛皮癣,张贴,graffiti,flyer,poster,sticker",
        department: "cgj",
        time_limit_hours: 72,
        attributes: "[]",
    },
    DemoCategory {
        code: "street_vending",
        group: "city_appearance",
        name_zh: "占道经营",
        name_en: "Illegal street vending",
        description_zh: "占用人行道、车行道摆摊设点。",
        description_en: "Stalls blocking pavements or roads.",
        keywords: "摆摊,占道,流动摊贩,夜市,vending,stall,hawker,pavement",
        department: "cgj",
        time_limit_hours: 24,
        attributes: r#"[{"code":"when","datatype":"multivaluelist","required":false,"description_zh":"通常出现的时段","description_en":"Usually seen","order":1,
            "values":[{"key":"morning","name_zh":"早上","name_en":"Morning"},{"key":"noon","name_zh":"中午","name_en":"Midday"},
                      {"key":"evening","name_zh":"傍晚","name_en":"Evening"},{"key":"night","name_zh":"夜间","name_en":"Night"}]}]"#,
    },
    DemoCategory {
        code: "road_damage",
        group: "roads",
        name_zh: "道路破损",
        name_en: "Damaged road",
        description_zh: "路面坑洼、塌陷、开裂，人行道砖松动缺失。",
        description_en: "Potholes, subsidence or cracks; loose or missing paving.",
        keywords: "坑洼,塌陷,路面,人行道,pothole,road,crack,paving",
        department: "zjj",
        time_limit_hours: 120,
        attributes: r#"[{"code":"where","datatype":"singlevaluelist","required":true,"description_zh":"破损位置","description_en":"Where is it","order":1,
            "values":[{"key":"carriageway","name_zh":"车行道","name_en":"Carriageway"},{"key":"pavement","name_zh":"人行道","name_en":"Pavement"}]},
            {"code":"area","datatype":"number","required":false,"description_zh":"破损面积约（平方米）","description_en":"Approximate area (m²)","order":2}]"#,
    },
    DemoCategory {
        code: "manhole",
        group: "roads",
        name_zh: "井盖缺失破损",
        name_en: "Missing or broken manhole cover",
        description_zh: "井盖丢失、破损、移位，存在安全隐患，将优先处置。",
        description_en: "A missing, broken or displaced manhole cover. Dangerous: handled first.",
        keywords: "井盖,窨井,下水道,manhole,cover,drain cover",
        department: "zjj",
        time_limit_hours: 4,
        attributes: r#"[{"code":"state","datatype":"singlevaluelist","required":true,"description_zh":"井盖情况","description_en":"State of the cover","order":1,
            "values":[{"key":"missing","name_zh":"缺失","name_en":"Missing"},{"key":"broken","name_zh":"破损","name_en":"Broken"},{"key":"displaced","name_zh":"移位、不平","name_en":"Displaced or uneven"}]}]"#,
    },
    DemoCategory {
        code: "street_light",
        group: "roads",
        name_zh: "路灯不亮",
        name_en: "Street light out",
        description_zh: "路灯不亮、闪烁或白天常亮。",
        description_en: "A street light that is off, flickering or on during the day.",
        keywords: "路灯,照明,灯杆,light,lamp,lighting",
        department: "cgj",
        time_limit_hours: 48,
        attributes: r#"[{"code":"pole","datatype":"string","required":false,"description_zh":"灯杆编号（如有）","description_en":"Pole number (if shown)","order":1}]"#,
    },
    DemoCategory {
        code: "drain_blocked",
        group: "roads",
        name_zh: "排水不畅",
        name_en: "Blocked drain",
        description_zh: "雨水口堵塞、路面积水、污水外溢。",
        description_en: "Blocked gullies, standing water or overflowing sewage.",
        keywords: "积水,堵塞,排水,内涝,drain,flood,water,sewer",
        department: "zjj",
        time_limit_hours: 24,
        attributes: "[]",
    },
    DemoCategory {
        code: "illegal_parking",
        group: "traffic",
        name_zh: "违章停车",
        name_en: "Illegal parking",
        description_zh: "占用人行道、盲道、消防通道停车。",
        description_en: "Vehicles parked on pavements, tactile paving or fire lanes.",
        keywords: "停车,占道,消防通道,盲道,parking,car,fire lane",
        department: "jtj",
        time_limit_hours: 4,
        attributes: r#"[{"code":"vehicle","datatype":"singlevaluelist","required":false,"description_zh":"车辆类型","description_en":"Vehicle","order":1,
            "values":[{"key":"car","name_zh":"汽车","name_en":"Car"},{"key":"ebike","name_zh":"电动车","name_en":"E-bike"},{"key":"shared_bike","name_zh":"共享单车","name_en":"Shared bike"}]}]"#,
    },
    DemoCategory {
        code: "greenery_damage",
        group: "greenery",
        name_zh: "绿化损坏",
        name_en: "Damaged greenery",
        description_zh: "树木倒伏、枝条断落、绿地被毁。",
        description_en: "Fallen trees, broken branches or damaged lawns and beds.",
        keywords: "树木,倒伏,绿地,草坪,tree,branch,lawn,park",
        department: "ylj",
        time_limit_hours: 72,
        attributes: r#"[{"code":"kind","datatype":"singlevaluelist","required":true,"description_zh":"损坏情况","description_en":"What is damaged","order":1,
            "values":[{"key":"tree_down","name_zh":"树木倒伏","name_en":"Fallen tree"},{"key":"branch","name_zh":"枝条断落","name_en":"Broken branch"},{"key":"lawn","name_zh":"绿地被毁","name_en":"Damaged lawn or bed"}]}]"#,
    },
    DemoCategory {
        code: "noise",
        group: "environment",
        name_zh: "噪声扰民",
        name_en: "Noise",
        description_zh: "施工、商业经营、娱乐场所等噪声扰民。",
        description_en: "Noise from building work, shops or entertainment venues.",
        keywords: "噪声,噪音,施工,广场舞,noise,loud,construction,music",
        department: "sthjj",
        time_limit_hours: 48,
        attributes: r#"[{"code":"source","datatype":"singlevaluelist","required":true,"description_zh":"噪声来源","description_en":"Source of the noise","order":1,
            "values":[{"key":"construction","name_zh":"建筑施工","name_en":"Building work"},{"key":"business","name_zh":"商业经营","name_en":"Shops and venues"},{"key":"other","name_zh":"其他","name_en":"Other"}]},
            {"code":"date","datatype":"datetime","required":false,"description_zh":"最近一次发生的日期","description_en":"Last time it happened","order":2}]"#,
    },
];

/// A demo grid: code, names, department code, and its outline as (lat, lon) corners.
pub struct DemoGrid {
    pub code: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub department: &'static str,
    pub south: f64,
    pub west: f64,
    pub north: f64,
    pub east: f64,
}

/// Six grids around the city centre (22.817 N, 108.366 E), in two rows of three.
pub const GRIDS: &[DemoGrid] = &[
    DemoGrid {
        code: "XX-01",
        name_zh: "西乡塘区北湖网格",
        name_en: "Beihu, Xixiangtang",
        department: "cgj",
        south: 22.83,
        west: 108.32,
        north: 22.86,
        east: 108.35,
    },
    DemoGrid {
        code: "XN-01",
        name_zh: "兴宁区朝阳网格",
        name_en: "Chaoyang, Xingning",
        department: "cgj",
        south: 22.83,
        west: 108.35,
        north: 22.86,
        east: 108.38,
    },
    DemoGrid {
        code: "XN-02",
        name_zh: "兴宁区民生网格",
        name_en: "Minsheng, Xingning",
        department: "cgj",
        south: 22.83,
        west: 108.38,
        north: 22.86,
        east: 108.41,
    },
    DemoGrid {
        code: "JN-01",
        name_zh: "江南区福建园网格",
        name_en: "Fujianyuan, Jiangnan",
        department: "cgj",
        south: 22.80,
        west: 108.32,
        north: 22.83,
        east: 108.35,
    },
    DemoGrid {
        code: "QX-01",
        name_zh: "青秀区新竹网格",
        name_en: "Xinzhu, Qingxiu",
        department: "cgj",
        south: 22.80,
        west: 108.35,
        north: 22.83,
        east: 108.38,
    },
    DemoGrid {
        code: "QX-02",
        name_zh: "青秀区南湖网格",
        name_en: "Nanhu, Qingxiu",
        department: "ylj",
        south: 22.80,
        west: 108.38,
        north: 22.83,
        east: 108.41,
    },
];

/// The demo grids as the GeoJSON FeatureCollection an admin would upload.
pub fn grids_geojson() -> String {
    let features: Vec<serde_json::Value> = GRIDS
        .iter()
        .map(|g| {
            serde_json::json!({
                "type": "Feature",
                "properties": { "code": g.code, "name_zh": g.name_zh, "name_en": g.name_en, "department": g.department },
                "geometry": { "type": "Polygon", "coordinates": [[
                    [g.west, g.south], [g.east, g.south], [g.east, g.north], [g.west, g.north], [g.west, g.south]
                ]]}
            })
        })
        .collect();
    serde_json::json!({ "type": "FeatureCollection", "features": features }).to_string()
}

/// Named places of the demo city (approximate points, inside the demo grids), so reports
/// can be located by a typed address.
pub const PLACES: &str = "name,lat,lon
民族大道,22.8172,108.3661
新竹路,22.8190,108.3702
朝阳广场,22.8331,108.3578
朝阳路,22.8345,108.3560
南湖公园,22.8125,108.3925
古城路,22.8215,108.3597
东葛路,22.8244,108.3853
民生路,22.8453,108.3951
人民东路,22.8401,108.3655
福建园路,22.8052,108.3383
青秀路,22.8101,108.3701
北湖路,22.8480,108.3300
";
