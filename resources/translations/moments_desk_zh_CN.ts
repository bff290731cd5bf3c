<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>About</name>
    <message>
        <source>About Moments Desk</source>
        <translation>关于朋友圈卖货台</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Moments Desk {version}&lt;/h3&gt;&lt;p&gt;Plan, prepare and track WeChat Moments selling for small shops.&lt;/p&gt;&lt;p&gt;Moments Desk never controls WeChat: it prepares each post and you publish it from your phone, so your account stays safe.&lt;/p&gt;&lt;p&gt;Data folder: {folder}&lt;br&gt;Database: {database}&lt;/p&gt;</source>
        <translation>&lt;h3&gt;朋友圈卖货台 {version}&lt;/h3&gt;&lt;p&gt;为小店规划、准备并跟踪微信朋友圈卖货。&lt;/p&gt;&lt;p&gt;本软件从不操控微信：它帮你准备好每条朋友圈，由你在手机上亲自发布，账号更安全。&lt;/p&gt;&lt;p&gt;数据文件夹：{folder}&lt;br&gt;数据库：{database}&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>Accounts</name>
    <message>
        <source>WeChat account</source>
        <translation>微信号</translation>
    </message>
    <message>
        <source>e.g. 主号</source>
        <translation>例如：主号</translation>
    </message>
    <message>
        <source>the name friends see in Moments</source>
        <translation>好友在朋友圈里看到的名字</translation>
    </message>
    <message>
        <source>Name in this app</source>
        <translation>在本软件中的名称</translation>
    </message>
    <message>
        <source>WeChat nickname</source>
        <translation>微信昵称</translation>
    </message>
    <message>
        <source>WeChat ID</source>
        <translation>微信号（ID）</translation>
    </message>
    <message>
        <source>WeChat accounts</source>
        <translation>微信号</translation>
    </message>
    <message>
        <source>Each personal WeChat shows Moments to at most 5,000 friends; every customer belongs to one account.</source>
        <translation>每个个人微信的朋友圈最多对 5000 位好友可见；每位客户都属于其中一个微信号。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Nickname</source>
        <translation>昵称</translation>
    </message>
    <message>
        <source>Friends</source>
        <translation>好友</translation>
    </message>
    <message>
        <source>Add account…</source>
        <translation>添加微信号…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Shop data updated</source>
        <translation>店铺数据已升级</translation>
    </message>
    <message>
        <source>Your data was updated to work with this version of Moments Desk. A copy of the old data was saved first: {backup}</source>
        <translation>你的数据已升级以适配此版本的朋友圈卖货台。升级前已保存一份旧数据：{backup}</translation>
    </message>
</context>
<context>
    <name>AreaPage</name>
    <message>
        <source>Counting…</source>
        <translation>正在统计…</translation>
    </message>
    <message>
        <source>Your data is kept safely in this data folder; nothing here changes it.</source>
        <translation>你的数据安全保存在数据文件夹中，此页面不会改动任何数据。</translation>
    </message>
</context>
<context>
    <name>CustomerDetail</name>
    <message>
        <source>Liked</source>
        <translation>点赞</translation>
    </message>
    <message>
        <source>Commented</source>
        <translation>评论</translation>
    </message>
    <message>
        <source>Private chat</source>
        <translation>私聊</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备忘</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>New customer</source>
        <translation>新客户</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>资料</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Export her data…</source>
        <translation>导出她的全部数据…</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Write what you talked about, e.g. 想要M码，下周到货再联系</source>
        <translation>记下聊了什么，例如：想要M码，下周到货再联系</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>添加备忘</translation>
    </message>
    <message>
        <source>备注, e.g. 杭州-李姐</source>
        <translation>备注名，例如：杭州-李姐</translation>
    </message>
    <message>
        <source> month</source>
        <translation> 月</translation>
    </message>
    <message>
        <source> day</source>
        <translation> 日</translation>
    </message>
    <message>
        <source>year?</source>
        <translation>年份未知</translation>
    </message>
    <message>
        <source>lunar</source>
        <translation>农历</translation>
    </message>
    <message>
        <source>leap month</source>
        <translation>闰月</translation>
    </message>
    <message>
        <source>comma separated</source>
        <translation>用逗号分隔</translation>
    </message>
    <message>
        <source>WeChat account</source>
        <translation>微信号</translation>
    </message>
    <message>
        <source>Nickname</source>
        <translation>昵称</translation>
    </message>
    <message>
        <source>Remark name</source>
        <translation>备注名</translation>
    </message>
    <message>
        <source>WeChat ID</source>
        <translation>微信ID</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>手机</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation>生日</translation>
    </message>
    <message>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>Relationship</source>
        <translation>关系</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Marketing consent</source>
        <translation>营销同意</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>No contact yet</source>
        <translation>还没有联系记录</translation>
    </message>
    <message>
        <source>Last contact today</source>
        <translation>今天有过联系</translation>
    </message>
    <message>
        <source>Last contact %Ln day(s) ago</source>
        <translation>上次联系在 %Ln 天前</translation>
    </message>
    <message>
        <source>under “{post}”</source>
        <translation>在「{post}」下</translation>
    </message>
    <message>
        <source>Save note</source>
        <translation>保存备忘</translation>
    </message>
</context>
<context>
    <name>CustomerImport</name>
    <message>
        <source>Into WeChat account</source>
        <translation>导入到微信号</translation>
    </message>
    <message>
        <source>lunar</source>
        <translation>农历</translation>
    </message>
    <message>
        <source>leap </source>
        <translation>闰</translation>
    </message>
    <message>
        <source>Update customers already on this account</source>
        <translation>该微信号已有的客户：更新</translation>
    </message>
    <message>
        <source>Skip customers already on this account</source>
        <translation>该微信号已有的客户：跳过</translation>
    </message>
    <message>
        <source>Treat a customer already on this account as an error</source>
        <translation>该微信号已有的客户：视为错误</translation>
    </message>
    <message>
        <source>A row is the same customer when the WeChat ID matches (or the phone, for rows without a WeChat ID). Birthdays may be lunar: 农历三月初五.</source>
        <translation>微信ID相同即视为同一位客户（没有微信ID的行按手机号判断）。生日可以写农历，例如：农历三月初五。</translation>
    </message>
    <message>
        <source>Import customers</source>
        <translation>导入客户</translation>
    </message>
    <message>
        <source>WeChat ID</source>
        <translation>微信ID</translation>
    </message>
    <message>
        <source>Nickname</source>
        <translation>昵称</translation>
    </message>
    <message>
        <source>Remark name</source>
        <translation>备注名</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>手机</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation>生日</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>Relationship</source>
        <translation>关系</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>笔记</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>New: {new} · Updated: {updated} · Skipped: {skipped} · Errors: {errors}</source>
        <translation>新增：{new} · 更新：{updated} · 跳过：{skipped} · 错误：{errors}</translation>
    </message>
    <message>
        <source>create</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>update</source>
        <translation>更新</translation>
    </message>
    <message>
        <source>Importing customers…</source>
        <translation>正在导入客户…</translation>
    </message>
    <message>
        <source>Imported: {created} new customers, {updated} updated, {addresses} addresses.</source>
        <translation>导入完成：新增 {created} 位客户，更新 {updated} 位，新增地址 {addresses} 条。</translation>
    </message>
    <message>
        <source>Taobao → 已卖出的宝贝 → 批量导出 → 订单报表 (CSV). Buyers are matched to your customers by phone, then by name; new buyers join this account. Orders already imported are skipped, so importing the same file twice is safe.</source>
        <translation>淘宝卖家中心 → 已卖出的宝贝 → 批量导出 → 订单报表（CSV）。买家先按手机号、再按姓名匹配已有客户；新买家加入所选微信号。已导入过的订单会自动跳过，同一个文件导入两次也不会重复。</translation>
    </message>
    <message>
        <source>Import Taobao orders</source>
        <translation>导入淘宝订单</translation>
    </message>
    <message>
        <source>Taobao order export (*.csv *.xlsx)</source>
        <translation>淘宝订单报表 (*.csv *.xlsx)</translation>
    </message>
    <message>
        <source>Order number</source>
        <translation>订单编号</translation>
    </message>
    <message>
        <source>Buyer account</source>
        <translation>买家会员名</translation>
    </message>
    <message>
        <source>Amount paid</source>
        <translation>实付金额</translation>
    </message>
    <message>
        <source>Shipping fee</source>
        <translation>邮费</translation>
    </message>
    <message>
        <source>Order status</source>
        <translation>订单状态</translation>
    </message>
    <message>
        <source>Recipient</source>
        <translation>收货人</translation>
    </message>
    <message>
        <source>Item title</source>
        <translation>宝贝标题</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Product code</source>
        <translation>商家编码</translation>
    </message>
    <message>
        <source>Ordered at</source>
        <translation>下单时间</translation>
    </message>
    <message>
        <source>Paid at</source>
        <translation>付款时间</translation>
    </message>
    <message>
        <source>Shipped at</source>
        <translation>发货时间</translation>
    </message>
    <message>
        <source>Completed at</source>
        <translation>确认收货时间</translation>
    </message>
    <message>
        <source>Order notes</source>
        <translation>订单备注</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Orders to add: {orders} · Already imported: {done} · New customers: {new} · Known customers: {known} · Errors: {errors}</source>
        <translation>待导入订单：{orders} · 已导入过：{done} · 新客户：{new} · 已有客户：{known} · 错误：{errors}</translation>
    </message>
    <message>
        <source>new customer</source>
        <translation>新客户</translation>
    </message>
    <message>
        <source>existing customer</source>
        <translation>已有客户</translation>
    </message>
    <message>
        <source>Importing Taobao orders…</source>
        <translation>正在导入淘宝订单…</translation>
    </message>
    <message>
        <source>Imported {orders} orders: {created} new customers, {updated} known customers, {addresses} new addresses.</source>
        <translation>已导入 {orders} 个订单：新客户 {created} 位，已有客户 {updated} 位，新地址 {addresses} 条。</translation>
    </message>
</context>
<context>
    <name>CustomersModel</name>
    <message>
        <source>Name</source>
        <translation>称呼</translation>
    </message>
    <message>
        <source>Nickname</source>
        <translation>昵称</translation>
    </message>
    <message>
        <source>WeChat ID</source>
        <translation>微信ID</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>手机</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>微信号</translation>
    </message>
    <message>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Last contact</source>
        <translation>上次联系</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>%Ln day(s) ago</source>
        <translation>%Ln 天前</translation>
    </message>
</context>
<context>
    <name>CustomersPage</name>
    <message>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Customers from a spreadsheet…</source>
        <translation>从表格导入客户…</translation>
    </message>
    <message>
        <source>Taobao order export (订单报表)…</source>
        <translation>淘宝订单报表…</translation>
    </message>
    <message>
        <source>New customer</source>
        <translation>新客户</translation>
    </message>
    <message>
        <source>Search nickname, remark, WeChat ID, phone or pinyin (zs → 张三)</source>
        <translation>搜索昵称、备注、微信ID、手机号或拼音（zs → 张三）</translation>
    </message>
    <message>
        <source>All accounts</source>
        <translation>全部微信号</translation>
    </message>
    <message>
        <source>Any tag</source>
        <translation>全部标签</translation>
    </message>
    <message>
        <source>Any stage</source>
        <translation>全部阶段</translation>
    </message>
    <message>
        <source>Birthday this week</source>
        <translation>本周生日</translation>
    </message>
    <message>
        <source>Quiet for</source>
        <translation>沉默超过</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>Unpaid order</source>
        <translation>有待付款订单</translation>
    </message>
    <message>
        <source>Add tag…</source>
        <translation>加标签…</translation>
    </message>
    <message>
        <source>Set stage</source>
        <translation>设置阶段</translation>
    </message>
    <message>
        <source>Move to account</source>
        <translation>移到微信号</translation>
    </message>
    <message>
        <source>Merge the two…</source>
        <translation>合并这两位…</translation>
    </message>
    <message>
        <source>⚠ near WeChat&apos;s 5,000-friend Moments limit</source>
        <translation>⚠ 接近微信朋友圈 5000 好友上限</translation>
    </message>
    <message>
        <source>%Ln customer(s) shown</source>
        <translation>显示 %Ln 位客户</translation>
    </message>
    <message>
        <source>%Ln selected</source>
        <translation>已选 %Ln 项</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>有未保存的修改</translation>
    </message>
    <message>
        <source>Discard the changes to this customer?</source>
        <translation>放弃对这位客户的修改吗？</translation>
    </message>
    <message>
        <source>No WeChat account yet</source>
        <translation>还没有微信号</translation>
    </message>
    <message>
        <source>Every customer belongs to one of your WeChat accounts. Add your account in Settings first.</source>
        <translation>每位客户都属于你的某个微信号。请先在“设置”里添加微信号。</translation>
    </message>
    <message>
        <source>Data exported</source>
        <translation>数据已导出</translation>
    </message>
    <message>
        <source>Everything stored about her is in:
{files}</source>
        <translation>关于她的全部数据已保存到：
{files}</translation>
    </message>
    <message>
        <source>Delete customer</source>
        <translation>删除客户</translation>
    </message>
    <message>
        <source>Delete {name} and everything that names her (likes, comments, notes, addresses)? This cannot be undone.</source>
        <translation>删除{name}以及所有与她有关的记录（点赞、评论、备忘、地址）吗？此操作无法撤销。</translation>
    </message>
    <message>
        <source>Keep her orders as anonymous sales so revenue reports still add up</source>
        <translation>保留她的订单作为匿名销售记录，让营业额报表依然准确</translation>
    </message>
    <message>
        <source>Add tag</source>
        <translation>加标签</translation>
    </message>
    <message>
        <source>Tag (also usable as a Moments audience) for %Ln customer(s):</source>
        <translation>给 %Ln 位客户加标签（也可用作朋友圈“部分可见”分组）：</translation>
    </message>
    <message>
        <source>Merge duplicates</source>
        <translation>合并重复客户</translation>
    </message>
    <message>
        <source>Keep “{keep}” and merge “{absorb}” into her? Timelines, orders, tags and addresses are combined; the second record is removed.</source>
        <translation>保留「{keep}」并把「{absorb}」合并进来吗？时间线、订单、标签和地址会合在一起，第二条记录将被删除。</translation>
    </message>
    <message>
        <source>Not changed</source>
        <translation>未修改</translation>
    </message>
</context>
<context>
    <name>ExportSettings</name>
    <message>
        <source>Bottom right</source>
        <translation>右下角</translation>
    </message>
    <message>
        <source>Bottom left</source>
        <translation>左下角</translation>
    </message>
    <message>
        <source>Top right</source>
        <translation>右上角</translation>
    </message>
    <message>
        <source>Top left</source>
        <translation>左上角</translation>
    </message>
    <message>
        <source>Centre</source>
        <translation>居中</translation>
    </message>
    <message>
        <source>Pictures for Moments</source>
        <translation>发圈图片</translation>
    </message>
    <message>
        <source>1080 px (WeChat&apos;s usual size)</source>
        <translation>1080 像素（微信常用尺寸）</translation>
    </message>
    <message>
        <source>2048 px (sharper, larger files)</source>
        <translation>2048 像素（更清晰，文件更大）</translation>
    </message>
    <message>
        <source>e.g. shop name or WeChat ID; empty: none</source>
        <translation>例如店名或微信号；留空则不加</translation>
    </message>
    <message>
        <source>Put the product&apos;s price on its pictures</source>
        <translation>在商品图片上标出价格</translation>
    </message>
    <message>
        <source>Long side</source>
        <translation>长边</translation>
    </message>
    <message>
        <source>JPEG quality</source>
        <translation>JPEG 质量</translation>
    </message>
    <message>
        <source>Watermark</source>
        <translation>水印</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Opacity</source>
        <translation>不透明度</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>Overview</source>
        <extracomment>Emitted once, after the first paint that shows real data (``--smoke`` waits for it).</extracomment>
        <translation>概览</translation>
    </message>
    <message>
        <source>Your shop is empty</source>
        <translation>店铺还是空的</translation>
    </message>
    <message>
        <source>Add your WeChat accounts, products and friend-customers to start planning Moments posts. To look around first, load a demo shop: it fills this data folder with a small clothing shop you can delete later.</source>
        <translation>添加你的微信号、商品和好友客户后，就可以开始规划朋友圈了。想先随便看看？可以载入示例店铺：它会在当前数据文件夹里生成一家小服装店的数据，之后可以删除。</translation>
    </message>
    <message>
        <source>Load demo shop</source>
        <translation>载入示例店铺</translation>
    </message>
    <message>
        <source>Products on sale</source>
        <translation>在售商品</translation>
    </message>
    <message>
        <source>Friend-customers</source>
        <translation>好友客户</translation>
    </message>
    <message>
        <source>Posts this week</source>
        <translation>本周朋友圈</translation>
    </message>
    <message>
        <source>Likes, comments and chats (7 days)</source>
        <translation>近 7 天点赞、评论和私聊</translation>
    </message>
    <message>
        <source>Orders awaiting payment</source>
        <translation>待付款订单</translation>
    </message>
    <message>
        <source>Coming up</source>
        <translation>即将发布</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文案</translation>
    </message>
    <message>
        <source>Nothing scheduled yet. Posts you plan will appear here.</source>
        <translation>还没有排期。规划好的朋友圈会显示在这里。</translation>
    </message>
    <message>
        <source>%Ln in the catalogue</source>
        <translation>目录共 %Ln 件</translation>
    </message>
    <message>
        <source>WeChat accounts: %Ln</source>
        <translation>微信号 %Ln 个</translation>
    </message>
    <message>
        <source>%Ln already posted</source>
        <translation>已发 %Ln 条</translation>
    </message>
    <message>
        <source>Could not load the overview</source>
        <translation>无法载入概览</translation>
    </message>
    <message>
        <source>Reading the database failed: {error}</source>
        <translation>读取数据库失败：{error}</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Code</source>
        <translation>货号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>售价</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>成本</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>New arrival date</source>
        <translation>上新日期</translation>
    </message>
    <message>
        <source>Selling points</source>
        <translation>卖点</translation>
    </message>
    <message>
        <source>Taobao link</source>
        <translation>淘宝链接</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Pictures</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>Import products</source>
        <translation>导入商品</translation>
    </message>
    <message>
        <source>Update products whose code exists</source>
        <translation>货号已存在时：更新</translation>
    </message>
    <message>
        <source>Skip products whose code exists</source>
        <translation>货号已存在时：跳过</translation>
    </message>
    <message>
        <source>Treat an existing code as an error</source>
        <translation>货号已存在时：视为错误</translation>
    </message>
    <message>
        <source>Pictures folder (named by code)…</source>
        <translation>图片文件夹（按货号命名）…</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Spreadsheets (*.csv *.txt *.xlsx)</source>
        <translation>表格文件 (*.csv *.txt *.xlsx)</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <source>Reading the file…</source>
        <translation>正在读取文件…</translation>
    </message>
    <message>
        <source>(not imported)</source>
        <translation>（不导入）</translation>
    </message>
    <message>
        <source>{file}: %Ln row(s){encoding}</source>
        <translation>{file}：共 %Ln 行{encoding}</translation>
    </message>
    <message>
        <source>Checking every row…</source>
        <translation>正在逐行检查…</translation>
    </message>
    <message>
        <source>…and %Ln more row error(s)</source>
        <translation>…另有 %Ln 行错误</translation>
    </message>
    <message>
        <source>Row {row}</source>
        <translation>第 {row} 行</translation>
    </message>
    <message>
        <source>New: {new} · Updated: {updated} · Skipped: {skipped} · Errors: {errors}</source>
        <translation>新增：{new} · 更新：{updated} · 跳过：{skipped} · 错误：{errors}</translation>
    </message>
    <message>
        <source>create</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>update</source>
        <translation>更新</translation>
    </message>
    <message>
        <source>Importing products…</source>
        <translation>正在导入商品…</translation>
    </message>
    <message>
        <source>Imported: {created} new, {updated} updated, {images} pictures.</source>
        <translation>导入完成：新增 {created} 件，更新 {updated} 件，图片 {images} 张。</translation>
    </message>
    <message>
        <source>Cancelled: nothing was imported.</source>
        <translation>已取消：没有导入任何数据。</translation>
    </message>
    <message>
        <source>Nothing was imported: {error}</source>
        <translation>没有导入任何数据：{error}</translation>
    </message>
</context>
<context>
    <name>ImportMessages</name>
    <message>
        <source>{raw} has {n} digits; a mobile number has 11</source>
        <translation>{raw} 有 {n} 位数字；手机号应为 11 位</translation>
    </message>
    <message>
        <source>{raw} is not a phone number</source>
        <translation>{raw} 不是电话号码</translation>
    </message>
    <message>
        <source>{raw} is not a mainland mobile number</source>
        <translation>{raw} 不是大陆手机号</translation>
    </message>
    <message>
        <source>{month}/{day} does not exist</source>
        <translation>{month}月{day}日不存在</translation>
    </message>
    <message>
        <source>{raw} is not a date; write 1990-03-05, 3月5日 or 农历三月初五</source>
        <translation>{raw} 不是日期；请写成 1990-03-05、3月5日 或 农历三月初五</translation>
    </message>
    <message>
        <source>{raw} is not a lunar date; write 农历三月初五</source>
        <translation>{raw} 不是农历日期；请写成 农历三月初五</translation>
    </message>
    <message>
        <source>the lunar calendar has no leap month {month}</source>
        <translation>农历没有闰{month}月</translation>
    </message>
    <message>
        <source>lunar year {year} has no leap month {month}</source>
        <translation>农历{year}年没有闰{month}月</translation>
    </message>
    <message>
        <source>month {month} of lunar year {year} has only {days} days</source>
        <translation>农历{year}年{month}月只有 {days} 天</translation>
    </message>
    <message>
        <source>{what} is also in row {row}</source>
        <translation>{what} 与第 {row} 行重复</translation>
    </message>
    <message>
        <source>{who} is already a customer of this account</source>
        <translation>{who} 已是该微信号的客户</translation>
    </message>
    <message>
        <source>needs a WeChat ID, a nickname or a remark name</source>
        <translation>需要微信号、昵称或备注名</translation>
    </message>
    <message>
        <source>is {n} characters long; at most {limit}</source>
        <translation>长度为 {n} 个字符，最多 {limit} 个</translation>
    </message>
    <message>
        <source>{raw} is not one of {words}</source>
        <translation>{raw} 不是以下之一：{words}</translation>
    </message>
    <message>
        <source>{raw} is not a Taobao order status</source>
        <translation>{raw} 不是淘宝订单状态</translation>
    </message>
    <message>
        <source>{raw} is not a time; expected 2026-10-03 20:15:33</source>
        <translation>{raw} 不是时间；应为 2026-10-03 20:15:33 这样的格式</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>New arrivals</source>
        <translation>上新</translation>
    </message>
    <message>
        <source>Promotion</source>
        <translation>促销</translation>
    </message>
    <message>
        <source>Activity</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Lifestyle</source>
        <translation>生活</translation>
    </message>
    <message>
        <source>Buyer feedback</source>
        <translation>买家反馈</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Awaiting approval</source>
        <translation>待审核</translation>
    </message>
    <message>
        <source>Scheduled</source>
        <translation>已排期</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>待发布</translation>
    </message>
    <message>
        <source>Posted</source>
        <translation>已发布</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <source>On sale</source>
        <translation>在售</translation>
    </message>
    <message>
        <source>Sold out</source>
        <translation>售罄</translation>
    </message>
    <message>
        <source>Off shelf</source>
        <translation>下架</translation>
    </message>
    <message>
        <source>Prospect</source>
        <translation>潜在客户</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Fan</source>
        <translation>粉丝</translation>
    </message>
    <message>
        <source>Iron fan</source>
        <translation>铁粉</translation>
    </message>
    <message>
        <source>Not given</source>
        <translation>未填</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>女</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>Friend</source>
        <translation>朋友</translation>
    </message>
    <message>
        <source>Family</source>
        <translation>家人</translation>
    </message>
    <message>
        <source>Colleague</source>
        <translation>同事</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Taobao</source>
        <translation>淘宝</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>线下</translation>
    </message>
    <message>
        <source>Referral</source>
        <translation>老带新</translation>
    </message>
    <message>
        <source>Moments</source>
        <translation>朋友圈</translation>
    </message>
    <message>
        <source>Awaiting payment</source>
        <translation>待付款</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>已付款</translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>已发货</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>已退款</translation>
    </message>
</context>
<context>
    <name>ListView</name>
    <message>
        <source>Something went wrong</source>
        <translation>出错了</translation>
    </message>
    <message>
        <source>The data could not be read or changed: {error}</source>
        <translation>无法读取或修改数据：{error}</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Moments Desk</source>
        <translation>朋友圈卖货台</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>概览</translation>
    </message>
    <message>
        <source>Products</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Planner</source>
        <translation>排期</translation>
    </message>
    <message>
        <source>Your weekly posting rhythm, without flooding friends&apos; feeds.</source>
        <translation>固定的每周发圈节奏，不刷屏。</translation>
    </message>
    <message>
        <source>The week and month planner, the post composer with a Moments preview and the anti-spam checks arrive in a coming release.</source>
        <translation>周/月排期视图、带朋友圈预览的编辑器以及防刷屏检查将在后续版本提供。</translation>
    </message>
    <message>
        <source>Posts on record: %Ln</source>
        <translation>已记录朋友圈 %Ln 条</translation>
    </message>
    <message>
        <source>Tracking</source>
        <translation>互动</translation>
    </message>
    <message>
        <source>Who liked, commented and asked under each post.</source>
        <translation>每条朋友圈下谁点了赞、谁评论、谁私聊了你。</translation>
    </message>
    <message>
        <source>Pasting likers and commenters, first-N allocation and draws arrive in a coming release.</source>
        <translation>粘贴点赞/评论名单、前 N 名分配和抽奖将在后续版本提供。</translation>
    </message>
    <message>
        <source>Likes, comments and chats on record: %Ln</source>
        <translation>已记录点赞、评论和私聊 %Ln 条</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>From payment to shipping, every order in one place.</source>
        <translation>从付款到发货，所有订单一处管理。</translation>
    </message>
    <message>
        <source>The order list, status changes and packing lists arrive in a coming release.</source>
        <translation>订单列表、状态流转和发货单将在后续版本提供。</translation>
    </message>
    <message>
        <source>Orders on record: %Ln</source>
        <translation>已记录订单 %Ln 笔</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>Is selling in Moments working? What sells, and when.</source>
        <translation>朋友圈卖货效果如何？什么好卖，什么时候发最好。</translation>
    </message>
    <message>
        <source>Post performance, customer segments and weekly summaries arrive in a coming release. They will be computed from the records below.</source>
        <translation>朋友圈效果、客户分层和每周小结将在后续版本提供，并根据下面这些记录计算。</translation>
    </message>
    <message>
        <source>Posts available for reports: %Ln</source>
        <translation>可用于报表的朋友圈 %Ln 条</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Sell in Moments, without the spam</source>
        <translation>朋友圈卖货，不刷屏</translation>
    </message>
    <message>
        <source>SQLite · {folder}</source>
        <translation>本机数据库 · {folder}</translation>
    </message>
    <message>
        <source>Shared database · {url}</source>
        <translation>共享数据库 · {url}</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open data folder</source>
        <translation>打开数据文件夹</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>前往(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>About Moments Desk</source>
        <translation>关于朋友圈卖货台</translation>
    </message>
    <message>
        <source>Creating the demo shop…</source>
        <translation>正在生成示例店铺…</translation>
    </message>
    <message>
        <source>The demo shop can only be loaded into an empty shop.</source>
        <translation>示例店铺只能载入到空店铺中。</translation>
    </message>
    <message>
        <source>Demo shop not created</source>
        <translation>未生成示例店铺</translation>
    </message>
</context>
<context>
    <name>PictureTools</name>
    <message>
        <source>九宫格 and collage</source>
        <translation>九宫格与拼图</translation>
    </message>
    <message>
        <source>Cut one picture into 9 squares (九宫格)</source>
        <translation>一张图切成九宫格</translation>
    </message>
    <message>
        <source>Combine up to 9 pictures into one</source>
        <translation>最多 9 张图拼成一张</translation>
    </message>
    <message>
        <source>Choose pictures…</source>
        <translation>选择图片…</translation>
    </message>
    <message>
        <source>No picture chosen</source>
        <translation>还没有选择图片</translation>
    </message>
    <message>
        <source>Watermark</source>
        <translation>水印</translation>
    </message>
    <message>
        <source>optional, e.g. your shop name or WeChat ID</source>
        <translation>可选，例如店名或微信号</translation>
    </message>
    <message>
        <source>This is how the post looks in Moments. Export saves the pictures numbered in posting order.</source>
        <translation>这是发到朋友圈后的样子。导出时图片会按发布顺序编号保存。</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>A collage holds at most 9 pictures; the first 9 are used.</source>
        <translation>拼图最多 9 张，只用前 9 张。</translation>
    </message>
    <message>
        <source>Could not prepare the pictures</source>
        <translation>图片处理失败</translation>
    </message>
</context>
<context>
    <name>ProductEditor</name>
    <message>
        <source>cover</source>
        <translation>封面</translation>
    </message>
    <message>
        <source>New product</source>
        <translation>新商品</translation>
    </message>
    <message>
        <source>e.g. 新品, 百搭 (comma separated)</source>
        <translation>例如：新品，百搭（用逗号分隔）</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>可不填</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>货号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>售价</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>成本</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>New arrival</source>
        <translation>上新日期</translation>
    </message>
    <message>
        <source>Selling points</source>
        <translation>卖点</translation>
    </message>
    <message>
        <source>Taobao link</source>
        <translation>淘宝链接</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Pictures (drag to reorder; the first is the cover, at most 9)</source>
        <translation>图片（拖动调整顺序；第一张为封面，最多 9 张）</translation>
    </message>
    <message>
        <source>Add pictures…</source>
        <translation>添加图片…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>还原</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>归档</translation>
    </message>
    <message>
        <source>Pictures for Moments…</source>
        <translation>导出发圈图片…</translation>
    </message>
    <message>
        <source>Save this product&apos;s pictures numbered 1–9, sized and marked as set in Settings</source>
        <translation>按“设置”中的尺寸和水印，把这件商品的图片按 1–9 编号保存</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>取消归档</translation>
    </message>
    <message>
        <source>Pictures</source>
        <translation>图片</translation>
    </message>
</context>
<context>
    <name>ProductsModel</name>
    <message>
        <source>Code</source>
        <translation>货号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>售价</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>New arrival</source>
        <translation>上新日期</translation>
    </message>
    <message>
        <source>Last posted</source>
        <translation>上次发圈</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>archived</source>
        <translation>已归档</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
</context>
<context>
    <name>ProductsPage</name>
    <message>
        <source>Products</source>
        <extracomment>Emitted after each search result is shown (tests and the benchmark wait for it).</extracomment>
        <translation>商品</translation>
    </message>
    <message>
        <source>New product</source>
        <translation>新商品</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>九宫格…</source>
        <translation>九宫格…</translation>
    </message>
    <message>
        <source>Search name, code, tag or pinyin (e.g. lyq for 连衣裙)</source>
        <translation>搜索名称、货号、标签或拼音（如 lyq 找连衣裙）</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部分类</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>New arrivals (%n days)</source>
        <translation>新品（%n 天内）</translation>
    </message>
    <message>
        <source>Not posted for</source>
        <translation>超过</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>Show archived</source>
        <translation>显示已归档</translation>
    </message>
    <message>
        <source>Add tag…</source>
        <translation>加标签…</translation>
    </message>
    <message>
        <source>Set status</source>
        <translation>改状态</translation>
    </message>
    <message>
        <source>Adjust stock…</source>
        <translation>调整库存…</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>归档</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>%Ln product(s) shown</source>
        <translation>显示 %Ln 件商品</translation>
    </message>
    <message>
        <source>%Ln selected</source>
        <translation>已选 %Ln 项</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>有未保存的修改</translation>
    </message>
    <message>
        <source>The product you were editing has unsaved changes. Discard them?</source>
        <translation>正在编辑的商品有未保存的修改，要放弃吗？</translation>
    </message>
    <message>
        <source>（copy）</source>
        <translation>（副本）</translation>
    </message>
    <message>
        <source>Delete products</source>
        <translation>删除商品</translation>
    </message>
    <message>
        <source>Delete %Ln product(s) for good? Products that posts or orders refer to are kept; archive those instead.</source>
        <translation>永久删除 %Ln 件商品吗？被朋友圈或订单用到的商品会保留，请改为归档。</translation>
    </message>
    <message>
        <source>Some products were kept</source>
        <translation>部分商品已保留</translation>
    </message>
    <message>
        <source>Deleted: %Ln. Kept because posts, orders or allocations refer to them: {kept}.</source>
        <translation>已删除 %Ln 件。因被朋友圈、订单或分配记录使用而保留：{kept} 件。</translation>
    </message>
    <message>
        <source>Archive those</source>
        <translation>把它们归档</translation>
    </message>
    <message>
        <source>Add tag</source>
        <translation>加标签</translation>
    </message>
    <message>
        <source>Tag for the %Ln selected product(s):</source>
        <translation>给选中的 %Ln 件商品加标签：</translation>
    </message>
    <message>
        <source>Adjust stock</source>
        <translation>调整库存</translation>
    </message>
    <message>
        <source>Add to the stock of each selected product (negative to remove):</source>
        <translation>给每件选中商品增加的库存（负数为减少）：</translation>
    </message>
    <message>
        <source>Add pictures</source>
        <translation>添加图片</translation>
    </message>
    <message>
        <source>Only 9 pictures fit in a post; %Ln were not added.</source>
        <translation>一条朋友圈最多 9 张图，有 %Ln 张没有加入。</translation>
    </message>
    <message>
        <source>About these pictures</source>
        <translation>关于这些图片</translation>
    </message>
    <message>
        <source>Export products</source>
        <translation>导出商品</translation>
    </message>
    <message>
        <source>Export finished</source>
        <translation>导出完成</translation>
    </message>
    <message>
        <source>%Ln product(s) written to {file}.</source>
        <translation>已导出 %Ln 件商品到 {file}。</translation>
    </message>
    <message>
        <source>Not changed</source>
        <translation>未修改</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Preferences for this computer and where your shop&apos;s data lives.</source>
        <translation>本机偏好设置，以及店铺数据的存放位置。</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <source>SQLite file in the data folder</source>
        <translation>数据文件夹中的 SQLite 文件</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>{version} (data format {schema})</source>
        <translation>{version}（数据格式 {schema}）</translation>
    </message>
    <message>
        <source>Saved. The new language is used the next time the app starts.</source>
        <translation>已保存。下次启动时使用新的界面语言。</translation>
    </message>
</context>
<context>
    <name>StartupError</name>
    <message>
        <source>Data folder not found</source>
        <translation>找不到数据文件夹</translation>
    </message>
    <message>
        <source>The data folder {path} does not exist, and neither does the folder it should be in. If it is on an external disk, connect the disk and start again; otherwise check the --data-dir you gave.</source>
        <translation>数据文件夹 {path} 不存在，它所在的上级文件夹也不存在。如果它在移动硬盘或U盘上，请先接上再重新启动；否则请检查 --data-dir 参数。</translation>
    </message>
    <message>
        <source>Data folder is a file</source>
        <translation>数据文件夹是一个文件</translation>
    </message>
    <message>
        <source>{path} is a file, not a folder. Choose another data folder with --data-dir.</source>
        <translation>{path} 是一个文件，不是文件夹。请用 --data-dir 指定其他数据文件夹。</translation>
    </message>
    <message>
        <source>Data folder is read-only</source>
        <translation>数据文件夹无法写入</translation>
    </message>
    <message>
        <source>Moments Desk cannot write to {path} ({detail}). Check the folder&apos;s permissions or choose another data folder with --data-dir.</source>
        <translation>朋友圈卖货台无法写入 {path}（{detail}）。请检查文件夹权限，或用 --data-dir 指定其他数据文件夹。</translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation>没有权限</translation>
    </message>
    <message>
        <source>Already running</source>
        <translation>已在运行</translation>
    </message>
    <message>
        <source>Moments Desk is already open with the data folder {path}. Switch to that window (it may be in the system tray) instead of starting it twice.</source>
        <translation>朋友圈卖货台已经用数据文件夹 {path} 打开了。请切换到那个窗口（它可能在系统托盘里），不要重复启动。</translation>
    </message>
    <message>
        <source>Database is damaged</source>
        <translation>数据库已损坏</translation>
    </message>
    <message>
        <source>The database {path} cannot be read ({detail}). It has not been changed. Restore it from a backup in the backups folder, or ask for help before deleting it.</source>
        <translation>无法读取数据库 {path}（{detail}）。它没有被改动。请从备份文件夹中的备份恢复，删除前请先寻求帮助。</translation>
    </message>
    <message>
        <source>Database is from a newer version</source>
        <translation>数据库来自更新的版本</translation>
    </message>
    <message>
        <source>The database {path} was last opened by a newer version of Moments Desk (data format {revision}). Install the newest version to open it; this version will not touch it.</source>
        <translation>数据库 {path} 上次由更新版本的朋友圈卖货台打开（数据格式 {revision}）。请安装最新版本后再打开；当前版本不会改动它。</translation>
    </message>
    <message>
        <source>Not a Moments Desk database</source>
        <translation>不是朋友圈卖货台的数据库</translation>
    </message>
    <message>
        <source>The database {path} already holds other tables ({detail}) and was not made by Moments Desk. It has not been changed. Choose an empty database.</source>
        <translation>数据库 {path} 中已有其他数据表（{detail}），不是朋友圈卖货台创建的。它没有被改动。请选择一个空数据库。</translation>
    </message>
    <message>
        <source>Cannot reach the database</source>
        <translation>无法连接数据库</translation>
    </message>
    <message>
        <source>Could not connect to {path}: {detail}. Check that the server is running and the address, user name and password are right.</source>
        <translation>无法连接到 {path}：{detail}。请确认服务器正在运行，并检查地址、用户名和密码是否正确。</translation>
    </message>
    <message>
        <source>Database address not understood</source>
        <translation>无法识别数据库地址</translation>
    </message>
    <message>
        <source>{path} is not a database address Moments Desk can use. Write it like postgresql://user:password@host/database.</source>
        <translation>{path} 不是朋友圈卖货台可以使用的数据库地址。请按 postgresql://用户名:密码@主机/数据库 的格式填写。</translation>
    </message>
</context>
</TS>
