"""Word tables the demo generator draws from: names, buildings, companies, products, phones.

Every string here is encodable in cp932, because the historic era is written in it.
"""

from __future__ import annotations

# fmt: off

# (kanji, romaji) — common Japanese family names, roughly in order of frequency.
FAMILY_NAMES: tuple[tuple[str, str], ...] = (
    ("佐藤", "Sato"), ("鈴木", "Suzuki"), ("高橋", "Takahashi"), ("田中", "Tanaka"),
    ("伊藤", "Ito"), ("渡辺", "Watanabe"), ("山本", "Yamamoto"), ("中村", "Nakamura"),
    ("小林", "Kobayashi"), ("加藤", "Kato"), ("吉田", "Yoshida"), ("山田", "Yamada"),
    ("佐々木", "Sasaki"), ("山口", "Yamaguchi"), ("松本", "Matsumoto"), ("井上", "Inoue"),
    ("木村", "Kimura"), ("林", "Hayashi"), ("斎藤", "Saito"), ("清水", "Shimizu"),
    ("山崎", "Yamazaki"), ("森", "Mori"), ("池田", "Ikeda"), ("橋本", "Hashimoto"),
    ("阿部", "Abe"), ("石川", "Ishikawa"), ("山下", "Yamashita"), ("中島", "Nakajima"),
    ("石井", "Ishii"), ("小川", "Ogawa"), ("前田", "Maeda"), ("岡田", "Okada"),
    ("長谷川", "Hasegawa"), ("藤田", "Fujita"), ("後藤", "Goto"), ("近藤", "Kondo"),
    ("村上", "Murakami"), ("遠藤", "Endo"), ("青木", "Aoki"), ("坂本", "Sakamoto"),
    ("斉藤", "Saito"), ("福田", "Fukuda"), ("太田", "Ota"), ("西村", "Nishimura"),
    ("藤井", "Fujii"), ("金子", "Kaneko"), ("岡本", "Okamoto"), ("藤原", "Fujiwara"),
    ("中野", "Nakano"), ("三浦", "Miura"), ("原田", "Harada"), ("中川", "Nakagawa"),
    ("松田", "Matsuda"), ("竹内", "Takeuchi"), ("小野", "Ono"), ("田村", "Tamura"),
    ("中山", "Nakayama"), ("和田", "Wada"), ("石田", "Ishida"), ("森田", "Morita"),
    ("上田", "Ueda"), ("原", "Hara"), ("内田", "Uchida"), ("柴田", "Shibata"),
    ("酒井", "Sakai"), ("宮崎", "Miyazaki"), ("横山", "Yokoyama"), ("高木", "Takagi"),
    ("安藤", "Ando"), ("宮本", "Miyamoto"), ("大野", "Ono"), ("小島", "Kojima"),
    ("谷口", "Taniguchi"), ("今井", "Imai"), ("工藤", "Kudo"), ("高田", "Takada"),
    ("増田", "Masuda"), ("丸山", "Maruyama"), ("杉山", "Sugiyama"), ("村田", "Murata"),
    ("大塚", "Otsuka"), ("新井", "Arai"), ("小山", "Koyama"), ("平野", "Hirano"),
    ("藤本", "Fujimoto"), ("河野", "Kono"), ("上野", "Ueno"), ("野口", "Noguchi"),
    ("武田", "Takeda"), ("松井", "Matsui"), ("千葉", "Chiba"), ("岩崎", "Iwasaki"),
    ("菅原", "Sugawara"), ("木下", "Kinoshita"), ("久保", "Kubo"), ("佐野", "Sano"),
    ("野村", "Nomura"), ("松尾", "Matsuo"), ("市川", "Ichikawa"), ("菊地", "Kikuchi"),
    ("杉本", "Sugimoto"), ("古川", "Furukawa"), ("大西", "Onishi"), ("島田", "Shimada"),
    ("水野", "Mizuno"), ("桜井", "Sakurai"), ("高野", "Takano"), ("渡部", "Watanabe"),
    ("吉川", "Yoshikawa"), ("山内", "Yamauchi"), ("西田", "Nishida"), ("飯田", "Iida"),
    ("菊池", "Kikuchi"), ("西川", "Nishikawa"), ("小松", "Komatsu"), ("北村", "Kitamura"),
    ("安田", "Yasuda"), ("五十嵐", "Igarashi"), ("川口", "Kawaguchi"), ("平田", "Hirata"),
    ("関", "Seki"), ("中田", "Nakata"), ("久保田", "Kubota"), ("服部", "Hattori"),
    ("東", "Higashi"), ("岩田", "Iwata"), ("土屋", "Tsuchiya"), ("川崎", "Kawasaki"),
    ("福島", "Fukushima"), ("本田", "Honda"), ("辻", "Tsuji"), ("樋口", "Higuchi"),
    ("秋山", "Akiyama"), ("田口", "Taguchi"), ("永井", "Nagai"), ("山中", "Yamanaka"),
    ("中西", "Nakanishi"), ("吉村", "Yoshimura"), ("川上", "Kawakami"), ("大橋", "Ohashi"),
    ("石原", "Ishihara"), ("松岡", "Matsuoka"), ("浜田", "Hamada"), ("馬場", "Baba"),
    ("森本", "Morimoto"), ("矢野", "Yano"), ("浅野", "Asano"), ("松下", "Matsushita"),
    ("星野", "Hoshino"), ("大久保", "Okubo"), ("吉岡", "Yoshioka"), ("小池", "Koike"),
    ("野田", "Noda"), ("荒木", "Araki"), ("大谷", "Otani"), ("内藤", "Naito"),
    ("松浦", "Matsuura"), ("熊谷", "Kumagai"), ("黒田", "Kuroda"), ("尾崎", "Ozaki"),
    ("永田", "Nagata"), ("川村", "Kawamura"), ("望月", "Mochizuki"), ("田辺", "Tanabe"),
    ("松村", "Matsumura"), ("荒井", "Arai"), ("堀", "Hori"), ("大島", "Oshima"),
    ("平井", "Hirai"), ("早川", "Hayakawa"), ("菅野", "Sugano"), ("栗原", "Kurihara"),
    ("西山", "Nishiyama"), ("広瀬", "Hirose"), ("横田", "Yokota"), ("石橋", "Ishibashi"),
    ("萩原", "Hagiwara"), ("岩本", "Iwamoto"), ("片山", "Katayama"), ("関口", "Sekiguchi"),
    ("宮田", "Miyata"), ("大石", "Oishi"), ("高山", "Takayama"), ("本間", "Honma"),
    ("吉野", "Yoshino"), ("須藤", "Sudo"), ("岡崎", "Okazaki"), ("小田", "Oda"),
    ("伊東", "Ito"), ("鎌田", "Kamata"), ("上原", "Uehara"), ("篠原", "Shinohara"),
    ("小西", "Konishi"), ("松原", "Matsubara"), ("福井", "Fukui"), ("古田", "Furuta"),
    ("大森", "Omori"), ("成田", "Narita"), ("南", "Minami"), ("奥村", "Okumura"),
    ("内山", "Uchiyama"), ("沢田", "Sawada"), ("川島", "Kawashima"), ("桑原", "Kuwabara"),
    ("三宅", "Miyake"), ("片岡", "Kataoka"), ("富田", "Tomita"), ("杉浦", "Sugiura"),
    ("岡", "Oka"), ("八木", "Yagi"), ("奥田", "Okuda"), ("小沢", "Ozawa"),
    ("松永", "Matsunaga"), ("北川", "Kitagawa"), ("関根", "Sekine"), ("河合", "Kawai"),
    ("平山", "Hirayama"), ("牧野", "Makino"), ("白石", "Shiraishi"), ("今村", "Imamura"),
    ("寺田", "Terada"), ("青山", "Aoyama"), ("中尾", "Nakao"), ("小倉", "Ogura"),
    ("渋谷", "Shibuya"), ("上村", "Uemura"), ("小野寺", "Onodera"), ("大山", "Oyama"),
    ("足立", "Adachi"), ("岡村", "Okamura"), ("坂口", "Sakaguchi"), ("天野", "Amano"),
    ("多田", "Tada"), ("佐久間", "Sakuma"), ("根本", "Nemoto"), ("豊田", "Toyoda"),
    ("田島", "Tajima"), ("飯島", "Iijima"), ("比嘉", "Higa"), ("金城", "Kinjo"),
    ("武藤", "Muto"), ("荒川", "Arakawa"), ("宮下", "Miyashita"), ("浅井", "Asai"),
    ("大川", "Okawa"), ("東海林", "Shoji"), ("長尾", "Nagao"), ("堤", "Tsutsumi"),
)

GIVEN_NAMES_MALE: tuple[tuple[str, str], ...] = (
    ("翔太", "Shota"), ("大輔", "Daisuke"), ("健太", "Kenta"), ("拓也", "Takuya"),
    ("直樹", "Naoki"), ("和也", "Kazuya"), ("達也", "Tatsuya"), ("浩二", "Koji"),
    ("誠", "Makoto"), ("修", "Osamu"), ("亮", "Ryo"), ("翼", "Tsubasa"),
    ("蓮", "Ren"), ("湊", "Minato"), ("悠真", "Yuma"), ("大翔", "Hiroto"),
    ("陽翔", "Haruto"), ("聡", "Satoshi"), ("剛", "Tsuyoshi"), ("健一", "Kenichi"),
    ("隆", "Takashi"), ("学", "Manabu"), ("茂", "Shigeru"), ("博", "Hiroshi"),
    ("清", "Kiyoshi"), ("実", "Minoru"), ("勇気", "Yuki"), ("雄太", "Yuta"),
    ("大樹", "Daiki"), ("涼介", "Ryosuke"), ("慎也", "Shinya"), ("裕太", "Yuta"),
    ("和夫", "Kazuo"), ("正人", "Masato"), ("智也", "Tomoya"), ("俊介", "Shunsuke"),
    ("一郎", "Ichiro"), ("太郎", "Taro"), ("光", "Hikaru"), ("陸", "Riku"),
    ("海斗", "Kaito"), ("颯太", "Sota"), ("悠人", "Yuto"), ("蒼", "Aoi"),
    ("樹", "Itsuki"), ("悟", "Satoru"), ("哲也", "Tetsuya"), ("幸司", "Koji"),
    ("英樹", "Hideki"), ("昭", "Akira"), ("義男", "Yoshio"), ("賢治", "Kenji"),
    ("康弘", "Yasuhiro"), ("秀明", "Hideaki"), ("伸也", "Shinya"), ("純一", "Junichi"),
    ("恭平", "Kyohei"), ("圭", "Kei"), ("貴之", "Takayuki"), ("淳", "Jun"),
)

GIVEN_NAMES_FEMALE: tuple[tuple[str, str], ...] = (
    ("花子", "Hanako"), ("陽子", "Yoko"), ("恵", "Megumi"), ("愛", "Ai"),
    ("舞", "Mai"), ("彩", "Aya"), ("千尋", "Chihiro"), ("由美", "Yumi"),
    ("真由美", "Mayumi"), ("久美子", "Kumiko"), ("明美", "Akemi"), ("裕子", "Yuko"),
    ("智子", "Tomoko"), ("さくら", "Sakura"), ("結菜", "Yuna"), ("凛", "Rin"),
    ("陽菜", "Hina"), ("美咲", "Misaki"), ("葵", "Aoi"), ("結衣", "Yui"),
    ("芽依", "Mei"), ("莉子", "Riko"), ("美穂", "Miho"), ("直美", "Naomi"),
    ("幸子", "Sachiko"), ("和子", "Kazuko"), ("洋子", "Yoko"), ("京子", "Kyoko"),
    ("麻衣", "Mai"), ("香織", "Kaori"), ("綾香", "Ayaka"), ("沙織", "Saori"),
    ("奈々", "Nana"), ("瞳", "Hitomi"), ("優子", "Yuko"), ("理恵", "Rie"),
    ("美紀", "Miki"), ("亜希子", "Akiko"), ("静香", "Shizuka"), ("千夏", "Chinatsu"),
    ("ひなた", "Hinata"), ("あかり", "Akari"), ("みゆき", "Miyuki"), ("ゆり", "Yuri"),
    ("紗希", "Saki"), ("遥", "Haruka"), ("彩花", "Ayaka"), ("菜摘", "Natsumi"),
    ("朋美", "Tomomi"), ("順子", "Junko"), ("節子", "Setsuko"), ("美智子", "Michiko"),
    ("由紀", "Yuki"), ("早苗", "Sanae"), ("加奈", "Kana"), ("絵美", "Emi"),
    ("里美", "Satomi"), ("真理", "Mari"), ("友香", "Yuka"), ("杏", "An"),
)

# Building name parts: katakana word + kind, e.g. "サンハイツ", "グランメゾン青葉".
BUILDING_WORDS: tuple[str, ...] = (
    "サン", "グラン", "ロイヤル", "パーク", "リバー", "シティ", "フォレスト", "エスポワール",
    "ベル", "アーバン", "ステラ", "ルミエール", "プリムローズ", "カーサ", "ヴェルデ",
    "アルカディア", "コスモ", "ライオンズ", "ドミール", "ソレイユ", "フローラ", "クレスト",
    "エクセル", "セントラル", "オーキッド", "ラフォーレ", "グリーン", "ノーブル", "シャルム",
)
BUILDING_PLACES: tuple[str, ...] = (
    "", "", "", "青葉", "桜", "緑", "中央", "東", "南", "若葉", "旭", "本町", "駅前",
    "泉", "丘", "松風", "白鷺", "朝日",
)
BUILDING_KINDS: tuple[str, ...] = (
    "ハイツ", "コーポ", "マンション", "レジデンス", "メゾン", "パレス", "ヴィラ",
    "コート", "ハイム", "荘", "アパート", "タワー", "ヒルズ", "テラス", "プラザ",
)
SHAREHOUSE_NAMES: tuple[str, ...] = (
    "シェアハウス", "シェアハウス縁", "ソーシャルアパートメント", "ゲストハウス",
    "シェアレジデンス", "学生会館", "社員寮", "コリビング",
)

COMPANY_STEMS: tuple[str, ...] = (
    "東和", "北辰", "光陽", "大和", "丸栄", "協和", "平和", "旭", "三協", "日進", "ミナト",
    "青葉", "さくら", "富士見", "朝日", "中央", "明星", "ひかり", "山田", "大成", "共栄",
    "昭和", "新光", "太陽", "正栄", "松風", "緑川", "若葉", "双葉", "瑞穂",
)
COMPANY_INDUSTRIES: tuple[str, ...] = (
    "商事", "工業", "電機", "デザイン", "印刷", "物流", "精工", "建設", "食品", "産業",
    "システム", "不動産", "化学", "運輸", "製作所", "技研", "商会",
)
OFFICE_NAMES: tuple[str, ...] = (
    "クリニック", "歯科医院", "保育園", "薬局", "設計事務所", "会計事務所", "法律事務所",
)
COMPANY_FORMS: tuple[str, ...] = ("株式会社", "株式会社 ", "（株）", "有限会社", "合同会社")

# Prefecture -> landline area codes (with the leading 0) whose numbers are valid in Japan.
AREA_CODES: dict[str, tuple[str, ...]] = {
    "北海道": ("011", "0166", "0138", "0154", "0155"),
    "青森県": ("017", "0172", "0178"),
    "岩手県": ("019", "0197"),
    "宮城県": ("022", "0225"),
    "秋田県": ("018", "0182"),
    "山形県": ("023", "0235"),
    "福島県": ("024", "0242", "0246"),
    "茨城県": ("029", "0296"),
    "栃木県": ("028", "0285"),
    "群馬県": ("027", "0276"),
    "埼玉県": ("048", "049"),
    "千葉県": ("043", "047", "0436"),
    "東京都": ("03", "042"),
    "神奈川県": ("045", "044", "046", "0466"),
    "新潟県": ("025", "0258"),
    "富山県": ("076", "0766"),
    "石川県": ("076", "0761"),
    "福井県": ("0776", "0770"),
    "山梨県": ("055",),
    "長野県": ("026", "0263"),
    "岐阜県": ("058", "0584", "0572"),
    "静岡県": ("054", "053", "055"),
    "愛知県": ("052", "0532", "0561"),
    "三重県": ("059", "0595"),
    "滋賀県": ("077", "0749"),
    "京都府": ("075", "0774"),
    "大阪府": ("06", "072"),
    "兵庫県": ("078", "079"),
    "奈良県": ("0742", "0745"),
    "和歌山県": ("073", "0739"),
    "鳥取県": ("0857", "0859"),
    "島根県": ("0852", "0853"),
    "岡山県": ("086",),
    "広島県": ("082", "084"),
    "山口県": ("083", "0834"),
    "徳島県": ("088",),
    "香川県": ("087",),
    "愛媛県": ("089", "0898"),
    "高知県": ("088",),
    "福岡県": ("092", "093", "0942"),
    "佐賀県": ("0952", "0954"),
    "長崎県": ("095", "0956"),
    "熊本県": ("096", "0965"),
    "大分県": ("097", "0977"),
    "宮崎県": ("0985", "0986"),
    "鹿児島県": ("099", "0995"),
    "沖縄県": ("098", "0980"),
}

NONSENSE_ADDRESS_LINES: tuple[str, ...] = (
    "あああ", "..", "テスト", "不明", "ｘｘｘ", "test", "あいうえお", "123", "なし",
    "ーーー", "？？？", "住所", "適当", "asdf", "ほげほげ", "＊＊＊",
)
NONSENSE_NAMES: tuple[str, ...] = (
    "あああ", "テスト", "山田 太郎", "てすと", "aaa", "名無し", "ななし", "test test",
)

RETURN_REASONS_LEGIT: tuple[str, ...] = (
    "NO_LONGER_NEEDED", "DEFECTIVE", "ORDERED_WRONG_ITEM", "NOT_AS_DESCRIBED",
    "DAMAGED_BY_CARRIER", "UNWANTED_ITEM", "QUALITY_UNACCEPTABLE",
)

# Product catalogue pieces: category -> (nouns, specs, price band in yen, tax rate, stock band).
PRODUCT_CATEGORIES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[int, int], float]] = {
    "タオル": (
        ("今治タオル フェイスタオル", "バスタオル 大判", "ハンドタオル ガーゼ", "ループ付きタオル"),
        ("5枚セット 綿100%", "34×80cm 吸水速乾", "ホテル仕様 厚手", "ギフト箱入り"),
        (880, 4980),
        0.10,
    ),
    "キッチン": (
        ("ステンレス 保存容器", "シリコン 調理スプーン", "鉄製 フライパン 26cm", "木製 まな板"),
        ("食洗機対応", "日本製 燕三条", "耐熱 230℃", "3点セット"),
        (980, 8980),
        0.10,
    ),
    "文具": (
        ("ゲルインクボールペン 0.5mm", "A5 方眼ノート", "マスキングテープ", "ファイルボックス"),
        ("10本セット 黒", "5冊パック", "15mm×7m 和柄", "A4 2個組"),
        (220, 2480),
        0.10,
    ),
    "食品": (
        ("国産 はちみつ", "有機 ほうじ茶 ティーバッグ", "ドリップコーヒー 詰め合わせ", "北海道産 昆布"),
        ("500g 瓶", "2g×50包", "30袋入り", "業務用 1kg"),
        (780, 5400),
        0.08,
    ),
    "家電アクセサリー": (
        ("USB Type-C ケーブル", "ワイヤレス充電器", "モバイルバッテリー 10000mAh", "スマホスタンド"),
        ("1m 2本セット", "15W 急速充電", "PSE認証済", "角度調整 アルミ"),
        (980, 6980),
        0.10,
    ),
    "ハンドメイド": (
        ("手作り 革キーケース", "天然石 ブレスレット", "帆布 トートバッグ", "木製 名入れ 箸"),
        ("栃木レザー", "サイズ調整可", "A4対応 生成り", "ギフトラッピング無料"),
        (1980, 15800),
        0.10,
    ),
    "アウトドア": (
        ("折りたたみ アウトドアチェア", "LED ランタン", "保冷バッグ 20L", "チタン マグカップ"),
        ("耐荷重100kg", "USB充電式 防水", "大容量 軽量", "450ml 直火可"),
        (1480, 29800),
        0.10,
    ),
    "書籍": (
        ("はじめての家庭菜園 入門", "図解 確定申告ガイド 2025年版", "子ども向け 図鑑 昆虫", "英単語 3000"),
        ("単行本", "ムック", "大型本", "新書"),
        (990, 3850),
        0.10,
    ),
    "ペット用品": (
        ("猫用 爪とぎ 段ボール", "犬用 おやつ 鶏ささみ", "ペットシーツ レギュラー", "猫砂 おから"),
        ("3個セット", "国産 無添加", "100枚入り", "7L×4袋"),
        (680, 4980),
        0.10,
    ),
    "美容": (
        ("無添加 石けん", "ヘアオイル", "ハンドクリーム", "保湿 化粧水"),
        ("100g 3個", "100ml 日本製", "50g ギフト", "500ml 大容量"),
        (580, 3980),
        0.10,
    ),
}
PRODUCT_COLOURS: tuple[str, ...] = (
    "", "", "ホワイト", "ブラック", "ネイビー", "グレー", "ベージュ", "ブラウン", "レッド", "グリーン",
)
PRODUCT_BRANDS: tuple[str, ...] = (
    "", "【公式】", "【国内正規品】", "【送料無料】", "【あす楽】", "[Amazon限定] ", "【まとめ買い】",
)

# Kyoto: streets and the direction from the crossing (上る north, 下る south, 西入/東入).
KYOTO_STREETS: tuple[str, ...] = (
    "烏丸", "河原町", "堀川", "西洞院", "室町", "新町", "寺町", "四条", "三条", "御池",
    "丸太町", "今出川", "五条", "七条", "千本", "大宮",
)
KYOTO_CENTRAL_WARDS: tuple[str, ...] = ("京都市上京区", "京都市中京区", "京都市下京区", "京都市東山区")
KYOTO_DIRECTIONS: tuple[str, ...] = ("上る", "上ル", "下る", "下ル", "西入", "東入ル", "西入ル")
# 小字 (sections of a rural town) written before a 番地: 字浜1035.
RURAL_SECTIONS: tuple[str, ...] = (
    "浜", "中道", "東原", "西山", "向田", "上野", "下川", "北浦", "南沢", "大久保", "宮前", "長田",
)
# fmt: on
